package io.satsuma.platform;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Checks the native-image sources a `-Pnative -Dquarkus.native.sources-only=true` build left (README: the native
 * check, run by .ci/run after the tests; there is no GraalVM here to compile them): the reflection configuration
 * Quarkus generated keeps every contract record and every class a service's code hands to Jackson by its class
 * literal ({@code readValue(text, X.class)}, {@code read(json, text, X.class)}) or names in a {@code TypeReference}
 * — the types a native image would otherwise strip of the constructors and accessors Jackson calls.
 */
@EnabledIfSystemProperty(named = "satsuma.native-check", matches = "true")
class NativeSourcesTest {
    private static final Path ROOT = Path.of(System.getProperty("satsuma.root", "..")).toAbsolutePath().normalize();
    private static final Pattern CLASS_LITERAL = Pattern.compile(
            "(?:readValue|\\bread|convertValue|treeToValue)\\([^;]*?\\b([A-Z]\\w*(?:\\.[A-Z]\\w*)*)\\.class\\)");
    private static final Pattern TYPE_REFERENCE = Pattern.compile("TypeReference<([^;=]*?)>\\s*(?:\\w+\\s*=|\\(|\\{)");
    private static final Pattern TYPE_NAME = Pattern.compile("\\b([A-Z]\\w*(?:\\.[A-Z]\\w*)*)");

    @ParameterizedTest
    @ValueSource(strings = {"profile-service", "segment-service", "activation-service", "insights-service"})
    void theGeneratedReflectionConfigurationKeepsEveryTypeJacksonIsHanded(String service) throws IOException {
        Set<String> registered = registeredForReflection(service);

        Set<String> needed = new TreeSet<>(contractRecords());
        needed.addAll(typesHandedToJackson(ROOT.resolve(service).resolve("src/main/java")));
        needed.addAll(typesHandedToJackson(ROOT.resolve("service-support/src/main/java")));

        assertThat(needed).as("types handed to Jackson (contract records included)").isNotEmpty();
        assertThat(registered).as("%s's reflect-config.json", service).containsAll(needed);
    }

    private static Set<String> registeredForReflection(String service) throws IOException {
        Path sources = ROOT.resolve(service).resolve("target/native-sources");
        Path runner;
        try (Stream<Path> files = Files.list(sources)) {
            runner = files.filter(f -> f.getFileName().toString().endsWith("-runner.jar")).findFirst()
                    .orElseThrow(() -> new AssertionError("no native sources in " + sources + ": run the native check"));
        }
        Set<String> names = new TreeSet<>();
        try (ZipFile jar = new ZipFile(runner.toFile());
             InputStream in = jar.getInputStream(jar.getEntry("META-INF/native-image/reflect-config.json"))) {
            for (JsonNode entry : new ObjectMapper().readTree(in)) {
                names.add(entry.path("name").asText());
            }
        }
        return names;
    }

    /** The contracts module's records, top-level and nested: every one travels through Kafka as JSON. */
    private static Set<String> contractRecords() throws IOException {
        Set<String> records = new TreeSet<>();
        for (Path file : javaFiles(ROOT.resolve("contracts/src/main/java"))) {
            String source = Files.readString(file);
            String outer = binaryName(ROOT.resolve("contracts/src/main/java"), file);
            if (source.matches("(?s).*public record " + simpleName(outer) + "\\b.*")) {
                records.add(outer);
                Matcher nested = Pattern.compile("\n    (?:public )?record (\\w+)").matcher(source);
                while (nested.find()) {
                    records.add(outer + "$" + nested.group(1));
                }
            }
        }
        return records;
    }

    private static Set<String> typesHandedToJackson(Path sourceRoot) throws IOException {
        Set<String> types = new TreeSet<>();
        for (Path file : javaFiles(sourceRoot)) {
            String source = Files.readString(file);
            List<String> simple = new ArrayList<>();
            Matcher literal = CLASS_LITERAL.matcher(source);
            while (literal.find()) {
                simple.add(literal.group(1));
            }
            Matcher reference = TYPE_REFERENCE.matcher(source);
            while (reference.find()) {
                Matcher name = TYPE_NAME.matcher(reference.group(1));
                while (name.find()) {
                    simple.add(name.group(1));
                }
            }
            String pkg = binaryName(sourceRoot, file).replaceFirst("\\.[^.]+$", "");
            for (String name : simple) {
                resolve(name, source, pkg, sourceRoot).ifPresent(types::add);
            }
        }
        return types;
    }

    /** An application type's binary name from the file's imports or package; JDK and library types are left out. */
    private static java.util.Optional<String> resolve(String name, String source, String pkg, Path sourceRoot) {
        String outer = name.contains(".") ? name.substring(0, name.indexOf('.')) : name;
        String nested = name.contains(".") ? name.substring(name.indexOf('.')).replace('.', '$') : "";
        Matcher imported = Pattern.compile("import (io\\.satsuma\\.[\\w.]*\\." + outer + ");").matcher(source);
        if (imported.find()) {
            return java.util.Optional.of(imported.group(1) + nested);
        }
        if (Files.exists(sourceRoot.resolve(pkg.replace('.', '/')).resolve(outer + ".java"))) {
            return java.util.Optional.of(pkg + "." + outer + nested);
        }
        return java.util.Optional.empty();
    }

    private static List<Path> javaFiles(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(f -> f.toString().endsWith(".java")).toList();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private static String binaryName(Path root, Path file) {
        return root.relativize(file).toString().replace('/', '.').replaceFirst("\\.java$", "");
    }

    private static String simpleName(String binaryName) {
        return binaryName.substring(binaryName.lastIndexOf('.') + 1);
    }
}

package io.satsuma.support.nativeimage;

import static org.assertj.core.api.Assertions.assertThat;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.satsuma.contracts.Topic;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.Arrays;
import java.util.List;
import org.jboss.jandex.ClassInfo;
import org.jboss.jandex.Index;
import org.jboss.jandex.IndexReader;
import org.junit.jupiter.api.Test;

class ContractTypesTest {

    @Test
    void everyTopLevelContractRecordIsRegisteredForReflection() throws Exception {
        List<String> records = contractsIndex().getKnownClasses().stream()
                .filter(ClassInfo::isRecord)
                .filter(c -> c.enclosingClass() == null)
                .map(c -> c.name().toString())
                .sorted()
                .toList();
        List<String> registered = Arrays.stream(ContractTypes.class.getAnnotation(RegisterForReflection.class).targets())
                .map(Class::getName)
                .sorted()
                .toList();

        assertThat(records).as("the contracts' records (from their Jandex index)").isNotEmpty();
        assertThat(registered).containsExactlyElementsOf(records);
    }

    /** The index the contracts module ships (the one Quarkus reads): every class of the module. */
    private static Index contractsIndex() throws IOException {
        URL module = Topic.class.getProtectionDomain().getCodeSource().getLocation();
        URL index = new URL(module.toString().endsWith(".jar") ? "jar:" + module + "!/META-INF/jandex.idx"
                : module + "META-INF/jandex.idx");
        try (InputStream in = index.openStream()) {
            return new IndexReader(in).read();
        }
    }
}

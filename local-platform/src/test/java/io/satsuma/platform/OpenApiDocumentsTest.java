package io.satsuma.platform;

import static org.assertj.core.api.Assertions.assertThat;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The four published OpenAPI documents (docs/openapi): the same as the services' builds write, valid for a
 * maintained parser, and complete enough for client teams: every operation has an id, a summary, a security
 * requirement, described parameters, and error responses that are problem documents.
 */
class OpenApiDocumentsTest {
    private static final Path ROOT = Path.of(System.getProperty("satsuma.root", "..")).toAbsolutePath().normalize();

    @ParameterizedTest
    @ValueSource(strings = {"profile-service", "segment-service", "activation-service", "insights-service"})
    void thePublishedDocumentIsWhatTheBuildWrites(String service) throws Exception {
        Path built = ROOT.resolve(service).resolve("target/openapi/openapi.yaml");
        Path published = ROOT.resolve("docs/openapi").resolve(service + ".yaml");

        assertThat(built).as("%s is built before local-platform", service).isRegularFile();
        assertThat(Files.readString(published))
                .as("docs/openapi/%s.yaml is out of date: the API changed; refresh it as docs/openapi/README.md says", service)
                .isEqualTo(Files.readString(built));
    }

    @ParameterizedTest
    @ValueSource(strings = {"profile-service", "segment-service", "activation-service", "insights-service"})
    void theDocumentIsValidAndEveryOperationIsDocumented(String service) throws Exception {
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        SwaggerParseResult parsed = new OpenAPIV3Parser().readContents(
                Files.readString(ROOT.resolve("docs/openapi").resolve(service + ".yaml")), null, options);
        assertThat(parsed.getMessages()).as("parser messages").isEmpty();
        OpenAPI api = parsed.getOpenAPI();
        assertThat(api.getComponents().getSecuritySchemes()).containsKey("bearer");

        List<String> problems = new ArrayList<>();
        int operations = 0;
        for (Map.Entry<String, PathItem> path : api.getPaths().entrySet()) {
            for (Map.Entry<PathItem.HttpMethod, Operation> entry : path.getValue().readOperationsMap().entrySet()) {
                operations++;
                Operation op = entry.getValue();
                String where = entry.getKey() + " " + path.getKey();
                if (op.getOperationId() == null || op.getSummary() == null || op.getSummary().isBlank()) {
                    problems.add(where + ": no operationId or summary");
                }
                if (op.getSecurity() == null || op.getSecurity().isEmpty()) {
                    problems.add(where + ": no security requirement");
                }
                if (op.getParameters() != null) {
                    op.getParameters().stream().filter(p -> p.getDescription() == null || p.getDescription().isBlank())
                            .forEach(p -> problems.add(where + ": parameter " + p.getName() + " is not described"));
                }
                List<String> errors = op.getResponses().keySet().stream().filter(code -> code.startsWith("4")).toList();
                if (errors.isEmpty()) {
                    problems.add(where + ": declares no 4xx response");
                }
                for (Map.Entry<String, ApiResponse> response : op.getResponses().entrySet()) {
                    boolean error = response.getKey().startsWith("4") || response.getKey().startsWith("5");
                    if (error && (response.getValue().getContent() == null
                            || response.getValue().getContent().get("application/problem+json") == null)) {
                        problems.add(where + ": " + response.getKey() + " is not an application/problem+json");
                    }
                    if (response.getValue().getDescription() == null || response.getValue().getDescription().isBlank()) {
                        problems.add(where + ": " + response.getKey() + " is not described");
                    }
                }
            }
        }
        assertThat(operations).as("operations in %s", service).isGreaterThan(2);
        assertThat(problems).isEmpty();
    }
}

package io.satsuma.support.problem;

import java.util.Map;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.media.MediaType;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;

/**
 * Documents what {@link ProblemMappers} does for every operation: each error response (4xx, 5xx) is an
 * {@code application/problem+json} {@link Problem}, and any operation may answer 500. Operations declare their
 * own error responses (which status, when); this filter gives them the one body they all share.
 * Registered with {@code mp.openapi.filter} in each service.
 */
public class ProblemResponsesFilter implements OASFilter {
    private static final String PROBLEM = "#/components/schemas/Problem";

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getPaths() == null) {
            return;
        }
        for (PathItem path : openAPI.getPaths().getPathItems().values()) {
            for (Operation operation : path.getOperations().values()) {
                if (operation.getResponses() == null) {
                    continue;
                }
                if (!operation.getResponses().hasAPIResponse("500")) {
                    operation.getResponses().addAPIResponse("500", OASFactory.createAPIResponse()
                            .description("the server failed; the problem says no more than that, the log has the rest"));
                }
                for (Map.Entry<String, APIResponse> response : operation.getResponses().getAPIResponses().entrySet()) {
                    if (response.getKey().startsWith("4") || response.getKey().startsWith("5")) {
                        describeAsProblem(response.getKey(), response.getValue());
                    }
                }
            }
        }
    }

    private static void describeAsProblem(String status, APIResponse response) {
        if (response.getDescription() == null || response.getDescription().isBlank()) {
            response.setDescription(switch (status) {
                case "400" -> "the request is invalid; `errors` names each bad field by JSON pointer; nothing was stored";
                case "401" -> "no valid credentials (bearer token, or write key for ingestion)";
                case "403" -> "the token lacks a role this operation needs, or a workspace claim";
                case "404" -> "no such resource in the caller's workspace";
                case "409" -> "the request clashes with the current state";
                default -> "see the problem's detail";
            });
        }
        Content content = response.getContent();
        if (content == null || content.getMediaType(Problem.MEDIA_TYPE) == null) {
            MediaType problem = OASFactory.createMediaType().schema(OASFactory.createSchema().ref(PROBLEM));
            response.setContent(OASFactory.createContent().addMediaType(Problem.MEDIA_TYPE, problem));
        } else if (content.getMediaType(Problem.MEDIA_TYPE).getSchema() == null) {
            Schema schema = OASFactory.createSchema().ref(PROBLEM);
            content.getMediaType(Problem.MEDIA_TYPE).setSchema(schema);
        }
    }
}

package io.satsuma.profile.adapter.rest;

import io.satsuma.support.problem.ProblemResponsesFilter;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.security.SecurityScheme;

/**
 * profile-service's OpenAPI document: the shared problem responses, and the write-key scheme the ingestion API
 * uses (declared here rather than by annotation, so that the bearer scheme stays the one Quarkus derives from
 * {@code @RolesAllowed} for every other operation).
 */
public class WriteKeyOpenApiFilter extends ProblemResponsesFilter {
    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        super.filterOpenAPI(openAPI);
        openAPI.getComponents().addSecurityScheme("writeKey", OASFactory.createSecurityScheme()
                .type(SecurityScheme.Type.HTTP).scheme("basic")
                .description("A source's write key as the HTTP Basic user name, no password (as Segment SDKs send it); "
                        + "or a `writeKey` field in the body"));
    }
}

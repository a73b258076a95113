package io.satsuma.activation.adapter.http;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.RestResponse;

/** A webhook receiver: the destination's URL itself is the base URI, so the call posts to it as configured. */
interface WebhookEndpoint {

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    RestResponse<Void> post(@HeaderParam("User-Agent") String userAgent,
                            @HeaderParam("X-Satsuma-Delivery") String delivery,
                            @HeaderParam("X-Satsuma-Timestamp") String timestamp,
                            @HeaderParam("X-Satsuma-Signature") String signature,
                            String body);
}

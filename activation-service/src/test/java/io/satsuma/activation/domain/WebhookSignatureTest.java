package io.satsuma.activation.domain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WebhookSignatureTest {
    @Test
    void signatureIsHmacSha256OfTimestampDotBody() {
        // Computed independently: printf '1700000000.{"a":1}' | openssl dgst -sha256 -hmac secret
        assertThat(WebhookSignature.sign("secret", 1_700_000_000L, "{\"a\":1}"))
                .isEqualTo("v1=49f24e537407743fa4a0242bb63b94b9a47ee99cbbe071ccd8a22550ae411686");
    }

    @Test
    void aChangedBodyTimestampOrSecretFailsVerification() {
        String signature = WebhookSignature.sign("secret", 1_700_000_000L, "{\"a\":1}");

        assertThat(WebhookSignature.verify("secret", 1_700_000_000L, "{\"a\":2}", signature)).isFalse();
        assertThat(WebhookSignature.verify("secret", 1_700_000_001L, "{\"a\":1}", signature)).isFalse();
        assertThat(WebhookSignature.verify("other", 1_700_000_000L, "{\"a\":1}", signature)).isFalse();
        assertThat(WebhookSignature.verify("secret", 1_700_000_000L, "{\"a\":1}", null)).isFalse();
    }
}

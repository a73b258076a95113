package io.satsuma.activation.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import org.junit.jupiter.api.Test;

class SecretBoxTest {
    private static final String KEY = Base64.getEncoder().encodeToString(new byte[32]);

    @Test
    void encryptsWithAFreshNonceAndDecryptsBack() {
        SecretBox box = new SecretBox(KEY);
        String a = box.encrypt("whsec_abc");
        String b = box.encrypt("whsec_abc");

        assertThat(a).isNotEqualTo(b).doesNotContain("whsec_abc");
        assertThat(box.decrypt(a)).isEqualTo("whsec_abc");
    }

    @Test
    void anotherKeyCannotDecrypt() {
        String sealed = new SecretBox(KEY).encrypt("whsec_abc");
        byte[] other = new byte[32];
        other[0] = 1;

        assertThatThrownBy(() -> new SecretBox(Base64.getEncoder().encodeToString(other)).decrypt(sealed))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void keysMustBe256Bits() {
        assertThatThrownBy(() -> new SecretBox(Base64.getEncoder().encodeToString(new byte[16])))
                .hasMessageContaining("32 bytes");
    }
}

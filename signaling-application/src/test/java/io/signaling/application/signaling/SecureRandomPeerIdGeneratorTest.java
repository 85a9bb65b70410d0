package io.signaling.application.signaling;

import static org.assertj.core.api.Assertions.assertThat;

import io.signaling.domain.signaling.PeerId;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SecureRandomPeerIdGeneratorTest {

    @Test
    void idsAreUrlSafeCarry128BitsAndDoNotRepeat() {
        SecureRandomPeerIdGenerator generator = new SecureRandomPeerIdGenerator(new SecureRandom());
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            PeerId id = generator.next();
            assertThat(id.value()).hasSize(22).matches("[A-Za-z0-9_-]+");
            assertThat(Base64.getUrlDecoder().decode(id.value())).hasSize(16);
            assertThat(seen.add(id.value())).isTrue();
        }
    }
}

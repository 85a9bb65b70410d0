package io.signaling.observability;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.AttributeType;
import org.junit.jupiter.api.Test;

class OtelAttributeKeysTest {

    private final OtelAttributeKeys keys = new OtelAttributeKeys();

    @Test
    void eachNameAndTypeGetsOneKeyReusedAfterwards() {
        AttributeKey<String> route = keys.string("http.route");
        assertThat(keys.string("http.route")).isSameAs(route).isEqualTo(AttributeKey.stringKey("http.route"));
        assertThat(keys.longKey("http.route").getType()).isEqualTo(AttributeType.LONG);
        assertThat(keys.doubleKey("x").getType()).isEqualTo(AttributeType.DOUBLE);
        assertThat(keys.booleanKey("x").getType()).isEqualTo(AttributeType.BOOLEAN);
        assertThat(keys.longKey("server.port")).isSameAs(keys.longKey("server.port"));
        assertThat(keys.size()).isEqualTo(5);
    }

    @Test
    void computedNamesStopTheCacheAtItsBoundButStillGetCorrectKeys() {
        for (int i = 0; i < OtelAttributeKeys.MAX_CACHED + 10; i++) {
            assertThat(keys.string("k" + i)).isEqualTo(AttributeKey.stringKey("k" + i));
        }
        assertThat(keys.size()).isEqualTo(OtelAttributeKeys.MAX_CACHED);
    }
}

package io.signaling.adapter.undertow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import org.junit.jupiter.api.Test;

class HeaderNamesTest {

    private final HeaderNames names = new HeaderNames();

    @Test
    void aNameIsConvertedOnceAndUndertowsOwnConstantIsUsedWhenItKnowsTheName() {
        HttpString first = names.of("traceresponse");
        assertThat(names.of("traceresponse")).isSameAs(first);
        assertThat(first).isEqualTo(new HttpString("traceresponse"));
        assertThat(names.of("Cache-Control")).isSameAs(Headers.CACHE_CONTROL);
        assertThat(names.size()).isEqualTo(2);
    }

    @Test
    void invalidNamesAreRefusedEveryTimeAndNeverCached() {
        for (String bad : new String[] {"", "Bad Header", "x:y", "a\r\nb", "ümlaut"}) {
            assertThatThrownBy(() -> names.of(bad)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("invalid HTTP header name");
            assertThatThrownBy(() -> names.of(bad)).isInstanceOf(IllegalArgumentException.class);
        }
        assertThat(names.size()).isZero();
    }

    @Test
    void theCacheStopsGrowingAtItsBoundAndLaterNamesStillWork() {
        for (int i = 0; i < HeaderNames.MAX_CACHED + 100; i++) {
            assertThat(names.of("X-Computed-" + i)).isEqualTo(new HttpString("X-Computed-" + i));
        }
        assertThat(names.size()).isEqualTo(HeaderNames.MAX_CACHED);
        assertThat(names.of("X-Computed-" + (HeaderNames.MAX_CACHED + 50)))
                .isNotSameAs(names.of("X-Computed-" + (HeaderNames.MAX_CACHED + 50)));
    }
}

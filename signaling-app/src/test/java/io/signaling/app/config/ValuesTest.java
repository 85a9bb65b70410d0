package io.signaling.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ValuesTest {

    @ParameterizedTest
    @CsvSource({
            "500ms, PT0.5S", "30s, PT30S", "2m, PT2M", "1h, PT1H", "1d, PT24H", "0s, PT0S", "0, PT0S",
            "PT30S, PT30S", "pt1m, PT1M", "' 15 s ', PT15S", "10MS, PT0.01S", "-5s, PT-5S"})
    void parsesDurations(String text, String iso) {
        assertThat(Values.parseDuration(text)).isEqualTo(Duration.parse(iso));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "30 | a duration needs a unit, e.g. 30s",
            "30x | unknown duration unit 'x'",
            "5sec | unknown duration unit 'sec'",
            "1.5s | not a duration",
            "thirty seconds | not a duration",
            "PTxS | not an ISO-8601 duration",
            "'' | empty",
            "99999999999999999999s | too large"})
    void rejectsBadDurationsSayingWhy(String text, String reason) {
        assertThatThrownBy(() -> Values.parseDuration(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(reason);
    }

    @ParameterizedTest
    @CsvSource({"512B, 512", "64KiB, 65536", "1MiB, 1048576", "2GiB, 2147483648", "1000, 1000", "1 mib, 1048576",
            "-1KiB, -1024"})
    void parsesSizes(String text, long bytes) {
        assertThat(Values.parseSize(text)).isEqualTo(bytes);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "64KB | unknown size unit 'KB'",
            "1M | unknown size unit 'M'",
            "1.5MiB | not a size",
            "lots | not a size",
            "9999999999GiB | too large"})
    void rejectsBadSizesSayingWhy(String text, String reason) {
        assertThatThrownBy(() -> Values.parseSize(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(reason);
    }

    @ParameterizedTest
    @CsvSource({"PT30S, 30s", "PT0.5S, 500ms", "PT2M, 2m", "PT1H, 1h", "PT48H, 2d", "PT0S, 0s", "PT1.5S, 1500ms",
            "PT90S, 90s"})
    void formatsDurationsInTheShortestExactUnit(String iso, String text) {
        assertThat(Values.formatDuration(Duration.parse(iso))).isEqualTo(text);
        assertThat(Values.parseDuration(text)).isEqualTo(Duration.parse(iso));
    }

    @ParameterizedTest
    @CsvSource({"1048576, 1MiB", "65536, 64KiB", "1000, 1000B", "1073741824, 1GiB", "1536, 1536B", "3072, 3KiB"})
    void formatsSizesInTheLargestExactUnit(long bytes, String text) {
        assertThat(Values.formatSize(bytes)).isEqualTo(text);
        assertThat(Values.parseSize(text)).isEqualTo(bytes);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.0.0.0", "127.0.0.1", "255.255.255.255", "localhost", "signaling-1.internal.example.com",
            "::", "::1", "[::1]", "fe80::1", "::ffff:10.0.0.1", "example.com."})
    void acceptsIpLiteralsAndHostNames(String host) {
        assertThatCode(() -> Values.checkHost(host)).doesNotThrowAnyException();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "256.1.1.1 | not a valid IPv4 address",
            "1.2.3 | not a valid IPv4 address",
            "bad_host | not a valid host name",
            "-leading.example.com | not a valid host name",
            "a..b | not a valid host name",
            "http://example.com | not a valid IPv6 address or host name",
            "1::2::3 | not a valid IPv6 address",
            "'' | must not be empty"})
    void rejectsUnparseableHosts(String host, String reason) {
        assertThatThrownBy(() -> Values.checkHost(host))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(reason);
    }
}

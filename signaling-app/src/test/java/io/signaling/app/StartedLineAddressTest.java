package io.signaling.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/** The started line names the address the listener is really bound to, never a friendlier one. */
class StartedLineAddressTest {

    @Test
    void aWildcardBindIsSaidAsConfigured() {
        // A dual-stack JVM reports a 0.0.0.0 bind as ::; either way it is every interface.
        assertThat(Launcher.url(new InetSocketAddress("::", 8080), "0.0.0.0")).isEqualTo("http://0.0.0.0:8080");
        assertThat(Launcher.url(new InetSocketAddress("0.0.0.0", 8080), "0.0.0.0")).isEqualTo("http://0.0.0.0:8080");
        assertThat(Launcher.url(new InetSocketAddress("::", 8080), "::")).isEqualTo("http://[::]:8080");
    }

    @Test
    void aSpecificAddressIsThatAddress() {
        assertThat(Launcher.url(new InetSocketAddress("127.0.0.1", 9090), "localhost")).isEqualTo("http://127.0.0.1:9090");
    }
}

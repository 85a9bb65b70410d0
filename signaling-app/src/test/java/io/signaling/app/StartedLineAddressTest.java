package io.signaling.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/** The started line names the address the listener is really bound to, never a friendlier one. */
class StartedLineAddressTest {

    @Test
    void allInterfacesIsSaidAsSuch() {
        assertThat(Launcher.url(new InetSocketAddress("0.0.0.0", 8080))).isEqualTo("http://0.0.0.0:8080");
        assertThat(Launcher.url(new InetSocketAddress("::", 8080))).isEqualTo("http://[0:0:0:0:0:0:0:0]:8080");
    }

    @Test
    void aSpecificAddressIsThatAddress() {
        assertThat(Launcher.url(new InetSocketAddress("127.0.0.1", 9090))).isEqualTo("http://127.0.0.1:9090");
    }
}

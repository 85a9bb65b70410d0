package io.signaling.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.signaling.app.config.ConfigLoader;
import io.signaling.app.config.ConfigRequest;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The public listener serves the demo page and the browser client module over real HTTP: their
 * bytes from the jar, the right types, revalidation with a strong ETag (304 when unchanged), and a
 * page policy that lets the page import the module from its own origin and nothing from elsewhere.
 */
class StaticFilesTest {

    private SignalingNode node;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        node = SignalingNode.builder(new ConfigLoader().load(ConfigRequest.of(Map.of())
                .withFlag("server.host", "127.0.0.1")
                .withFlag("server.port", "0")
                .withFlag("admin.enabled", "false")
                .withFlag("shutdown.readiness-delay", "0s")
                .withFlag("shutdown.drain-timeout", "1s"))).build();
        node.start();
    }

    @AfterEach
    void stop() {
        if (node != null) {
            node.shutdown();
        }
    }

    @Test
    void theClientModuleIsServedAsJavaScriptAndRevalidated() throws Exception {
        HttpResponse<byte[]> first = get("/signaling-client.js", null);

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.headers().firstValue("Content-Type")).hasValue("text/javascript; charset=utf-8");
        assertThat(first.headers().firstValue("Cache-Control")).hasValue("no-cache");
        assertThat(first.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(first.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
        assertThat(first.body()).isEqualTo(resource("/static/signaling-client.js"));
        assertThat(new String(first.body(), StandardCharsets.UTF_8)).contains("export class SignalingClient");
        String etag = first.headers().firstValue("ETag").orElseThrow();
        assertThat(etag).matches("\"[A-Za-z0-9_-]{22}\"");

        HttpResponse<byte[]> again = get("/signaling-client.js", etag);
        assertThat(again.statusCode()).isEqualTo(304);
        assertThat(again.body()).isEmpty();
        assertThat(again.headers().firstValue("ETag")).hasValue(etag);

        HttpResponse<byte[]> stale = get("/signaling-client.js", "\"something-else\", W/\"older\"");
        assertThat(stale.statusCode()).isEqualTo(200);
        assertThat(stale.body()).isEqualTo(first.body());
    }

    @Test
    void theDemoPageMayImportTheModuleFromItsOwnOriginOnly() throws Exception {
        HttpResponse<byte[]> page = get("/", null);

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        assertThat(page.headers().firstValue("Cache-Control")).hasValue("no-cache");
        assertThat(page.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(csp -> assertThat(csp)
                .contains("default-src 'none'", "script-src 'self' 'unsafe-inline';"));
        assertThat(page.headers().firstValue("ETag")).isPresent()
                .isNotEqualTo(get("/signaling-client.js", null).headers().firstValue("ETag"));
        assertThat(new String(page.body(), StandardCharsets.UTF_8)).contains("from '/signaling-client.js'");
        assertThat(get("/", page.headers().firstValue("ETag").orElseThrow()).statusCode()).isEqualTo(304);
    }

    private HttpResponse<byte[]> get(String path, String ifNoneMatch) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + node.publicAddress().getPort() + path));
        if (ifNoneMatch != null) {
            request.header("If-None-Match", ifNoneMatch);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static byte[] resource(String name) throws Exception {
        try (InputStream in = StaticFilesTest.class.getResourceAsStream(name)) {
            return in.readAllBytes();
        }
    }
}

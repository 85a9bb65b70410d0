package io.signaling.ports.websocket;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A WebSocket upgrade request as the core sees it before deciding on it: no body, no socket.
 *
 * @param path            the request path
 * @param headers         the request headers, names in lower case
 * @param queryParameters the decoded query parameters (a name may repeat)
 * @param remoteAddress   the peer's address (the proxy's, behind one)
 */
public record UpgradeRequest(String path, Map<String, List<String>> headers, Map<String, List<String>> queryParameters,
                             InetSocketAddress remoteAddress) {

    public UpgradeRequest {
        Objects.requireNonNull(path, "path");
        headers = Map.copyOf(headers);
        queryParameters = Map.copyOf(queryParameters);
    }

    /** The first value of a header (name in any case), or {@code null}. */
    public String header(String name) {
        List<String> values = headers.get(name.toLowerCase(java.util.Locale.ROOT));
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    /** The first value of a query parameter, or {@code null}. */
    public String queryParameter(String name) {
        List<String> values = queryParameters.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}

package io.signaling.ports.http;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * An RFC 9457 problem detail, the shape of every error response the server produces.
 *
 * @param type      a URI naming the problem type; {@code about:blank} when the status says it all
 * @param title     the short, human-readable summary of the type (the status reason phrase)
 * @param status    the HTTP status code
 * @param detail    what went wrong with this request, without internals; may be {@code null}
 * @param instance  the request path; may be {@code null}
 * @param requestId the request id, so users can quote it; may be {@code null}
 */
public record Problem(String type, String title, int status, String detail, String instance, String requestId) {

    public static final String CONTENT_TYPE = "application/problem+json";

    public Problem {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(title, "title");
    }

    /** A problem of type {@code about:blank} titled by the status's reason phrase. */
    public static Problem of(int status, String detail, String instance, String requestId) {
        return new Problem("about:blank", reasonPhrase(status), status, detail, instance, requestId);
    }

    /** Writes the problem to the exchange with its status and content type. */
    public void sendTo(HttpExchange exchange) throws java.io.IOException {
        exchange.status(status);
        exchange.responseHeader("Content-Type", CONTENT_TYPE);
        exchange.responseHeader("Cache-Control", "no-store");
        exchange.send(toJson().getBytes(StandardCharsets.UTF_8));
    }

    public String toJson() {
        StringBuilder sb = new StringBuilder(160);
        sb.append("{\"type\":");
        Json.quote(sb, type);
        sb.append(",\"title\":");
        Json.quote(sb, title);
        sb.append(",\"status\":").append(status);
        if (detail != null) {
            sb.append(",\"detail\":");
            Json.quote(sb, detail);
        }
        if (instance != null) {
            sb.append(",\"instance\":");
            Json.quote(sb, instance);
        }
        if (requestId != null) {
            sb.append(",\"requestId\":");
            Json.quote(sb, requestId);
        }
        return sb.append('}').toString();
    }

    /** The reason phrase of the statuses this server produces; "Error" for others. */
    public static String reasonPhrase(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 406 -> "Not Acceptable";
            case 408 -> "Request Timeout";
            case 409 -> "Conflict";
            case 413 -> "Content Too Large";
            case 415 -> "Unsupported Media Type";
            case 426 -> "Upgrade Required";
            case 429 -> "Too Many Requests";
            case 500 -> "Internal Server Error";
            case 501 -> "Not Implemented";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            default -> status >= 500 ? "Server Error" : status >= 400 ? "Client Error" : "Error";
        };
    }
}

package io.signaling.application.rooms;

import io.signaling.domain.signaling.PeerId;
import io.signaling.domain.signaling.RoomId;
import io.signaling.ports.cluster.ClusterUnavailableException;
import io.signaling.ports.cluster.RoomSummary;
import io.signaling.ports.http.ExchangeAttributes;
import io.signaling.ports.http.HttpExchange;
import io.signaling.ports.http.HttpHandler;
import io.signaling.ports.http.Json;
import io.signaling.ports.http.Problem;
import io.signaling.ports.http.Router;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code /api/v1/rooms}: the room management API as JSON over HTTP; every error is an RFC 9457
 * problem. Register it on the admin listener ({@link AdminAccess#adminListener()}) and, when the
 * operator asks for it, on the public listener behind admin tokens. The OpenAPI 3.1 document that
 * describes it ({@value #OPENAPI_PATH}) is served from {@value #OPENAPI_RESOURCE}; a test keeps the
 * two in step ({@link #ROUTES} are exactly the document's paths).
 *
 * <p>Thread-safety: stateless apart from its collaborators; safe for concurrent requests.
 */
public final class RoomsRoutes {

    public static final String PREFIX = "/api/v1";
    public static final String ROOMS_PATH = PREFIX + "/rooms";
    public static final String ROOM_PATH = ROOMS_PATH + "/{room}";
    public static final String PEER_PATH = ROOM_PATH + "/peers/{peerId}";
    public static final String OPENAPI_PATH = PREFIX + "/openapi.json";
    public static final String OPENAPI_RESOURCE = "/io/signaling/application/rooms/openapi.json";

    /** Every route this class registers: method and template. */
    public static final List<String[]> ROUTES = List.of(
            new String[] {"GET", ROOMS_PATH},
            new String[] {"GET", ROOM_PATH},
            new String[] {"DELETE", ROOM_PATH},
            new String[] {"DELETE", PEER_PATH},
            new String[] {"GET", OPENAPI_PATH});

    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 500;

    private static final String JSON = "application/json";
    private static final String CURSOR_PREFIX = "after:";

    private final RoomAdmin admin;
    private final AdminAccess access;
    private final byte[] openApi;

    public RoomsRoutes(RoomAdmin admin, AdminAccess access) {
        this.admin = Objects.requireNonNull(admin, "admin");
        this.access = Objects.requireNonNull(access, "access");
        this.openApi = openApiDocument();
    }

    /** The OpenAPI document as served. */
    public static byte[] openApiDocument() {
        try (InputStream in = RoomsRoutes.class.getResourceAsStream(OPENAPI_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing classpath resource " + OPENAPI_RESOURCE);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Router register(Router router) {
        Objects.requireNonNull(router, "router");
        return router.route("GET", ROOMS_PATH, guarded(this::list))
                .route("GET", ROOM_PATH, guarded(this::room))
                .route("DELETE", ROOM_PATH, guarded(this::close))
                .route("DELETE", PEER_PATH, guarded(this::remove))
                .route("GET", OPENAPI_PATH, guarded((exchange, actor) -> {
                    exchange.status(200).responseHeader("Cache-Control", "no-store");
                    exchange.responseHeader("Content-Type", JSON);
                    exchange.send(openApi);
                }));
    }

    @FunctionalInterface
    private interface Action {
        void handle(HttpExchange exchange, String actor) throws Exception;
    }

    private HttpHandler guarded(Action action) {
        return exchange -> {
            AdminAccess.Decision decision = access.authorize(exchange);
            if (decision instanceof AdminAccess.Refused refused) {
                if (refused.challenge() != null) {
                    exchange.responseHeader("WWW-Authenticate", refused.challenge());
                }
                problem(exchange, refused.status(), refused.detail());
                return;
            }
            try {
                action.handle(exchange, ((AdminAccess.Allowed) decision).actor());
            } catch (ClusterUnavailableException e) {
                exchange.responseHeader("Retry-After", "1");
                problem(exchange, 503, "the cluster's shared state cannot be reached; retry later");
            }
        };
    }

    private void list(HttpExchange exchange, String actor) throws IOException {
        int limit = DEFAULT_LIMIT;
        Optional<String> limitParam = exchange.queryParameter("limit");
        if (limitParam.isPresent()) {
            try {
                limit = Integer.parseInt(limitParam.get());
            } catch (NumberFormatException e) {
                limit = -1;
            }
            if (limit < 1 || limit > MAX_LIMIT) {
                problem(exchange, 400, "limit must be an integer from 1 to " + MAX_LIMIT);
                return;
            }
        }
        RoomId after = null;
        Optional<String> cursor = exchange.queryParameter("cursor");
        if (cursor.isPresent() && !cursor.get().isEmpty()) {
            after = decodeCursor(cursor.get());
            if (after == null) {
                problem(exchange, 400, "cursor is not one this API returned (pass nextCursor unchanged)");
                return;
            }
        }
        List<RoomSummary> page = admin.list(after, limit, actor);
        StringBuilder sb = new StringBuilder(64 + page.size() * 64).append("{\"rooms\":[");
        for (int i = 0; i < page.size(); i++) {
            RoomSummary room = page.get(i);
            sb.append(i == 0 ? "" : ",").append("{\"name\":");
            Json.quote(sb, room.room().value());
            sb.append(",\"peers\":").append(room.peers()).append(",\"createdAt\":");
            time(sb, room.createdAtMillis());
            sb.append('}');
        }
        sb.append("],\"nextCursor\":");
        if (page.size() == limit) {
            Json.quote(sb, encodeCursor(page.get(page.size() - 1).room()));
        } else {
            sb.append("null");
        }
        ok(exchange, sb.append('}').toString());
    }

    private void room(HttpExchange exchange, String actor) throws IOException {
        RoomId room = roomParam(exchange);
        if (room == null) {
            return;
        }
        Optional<RoomAdmin.Room> found = admin.room(room, actor);
        if (found.isEmpty()) {
            problem(exchange, 404, "no room '" + room.value() + "' (a room exists while it has peers)");
            return;
        }
        StringBuilder sb = new StringBuilder(256).append("{\"name\":");
        Json.quote(sb, room.value());
        sb.append(",\"createdAt\":");
        time(sb, found.get().createdAtMillis());
        sb.append(",\"peers\":[");
        List<RoomAdmin.Peer> peers = found.get().peers();
        for (int i = 0; i < peers.size(); i++) {
            RoomAdmin.Peer peer = peers.get(i);
            sb.append(i == 0 ? "" : ",").append("{\"peerId\":");
            Json.quote(sb, peer.peerId().value());
            sb.append(",\"identity\":");
            nullable(sb, peer.identity());
            sb.append(",\"node\":");
            Json.quote(sb, peer.node().value());
            sb.append(",\"joinedAt\":");
            time(sb, peer.joinedAtMillis());
            sb.append(",\"protocol\":");
            nullable(sb, peer.protocol());
            sb.append(",\"state\":");
            Json.quote(sb, peer.state());
            sb.append('}');
        }
        ok(exchange, sb.append("]}").toString());
    }

    private void remove(HttpExchange exchange, String actor) throws IOException {
        RoomId room = roomParam(exchange);
        if (room == null) {
            return;
        }
        String peerParam = exchange.pathParameters().get("peerId");
        if (!PeerId.isValid(peerParam)) {
            problem(exchange, 404, "no such peer in room '" + room.value() + "' (not a valid peer id)");
            return;
        }
        RoomAdmin.Removal removal = admin.remove(room, PeerId.of(peerParam), actor);
        switch (removal) {
            case REMOVED -> exchange.status(204).responseHeader("Cache-Control", "no-store");
            case NOT_FOUND -> problem(exchange, 404, "no peer '" + peerParam + "' in room '" + room.value() + "'");
            case UNCONFIRMED -> {
                exchange.responseHeader("Retry-After", "1");
                problem(exchange, 503, "the peer's node did not confirm the removal in time; it may still happen."
                        + " Retry: the request is idempotent by outcome");
            }
        }
    }

    private void close(HttpExchange exchange, String actor) throws IOException {
        RoomId room = roomParam(exchange);
        if (room == null) {
            return;
        }
        if (admin.close(room, actor).isEmpty()) {
            problem(exchange, 404, "no room '" + room.value() + "' (a room exists while it has peers)");
            return;
        }
        exchange.status(204).responseHeader("Cache-Control", "no-store");
    }

    /** The room path parameter, or null after answering 400 for a name no room can have. */
    private static RoomId roomParam(HttpExchange exchange) throws IOException {
        String value = exchange.pathParameters().get("room");
        if (!RoomId.isValid(value)) {
            problem(exchange, 400, "not a room name: " + RoomId.describeInvalid(value));
            return null;
        }
        return RoomId.of(value);
    }

    static String encodeCursor(RoomId after) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((CURSOR_PREFIX + after.value()).getBytes(StandardCharsets.UTF_8));
    }

    static RoomId decodeCursor(String cursor) {
        try {
            String decoded = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            if (!decoded.startsWith(CURSOR_PREFIX)) {
                return null;
            }
            String name = decoded.substring(CURSOR_PREFIX.length());
            return RoomId.isValid(name) ? RoomId.of(name) : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static void time(StringBuilder sb, long millis) {
        if (millis <= 0) {
            sb.append("null");
        } else {
            Json.quote(sb, Instant.ofEpochMilli(millis).toString());
        }
    }

    private static void nullable(StringBuilder sb, String value) {
        if (value == null) {
            sb.append("null");
        } else {
            Json.quote(sb, value);
        }
    }

    private static void ok(HttpExchange exchange, String json) throws IOException {
        exchange.status(200).responseHeader("Cache-Control", "no-store");
        exchange.send(JSON, json);
    }

    private static void problem(HttpExchange exchange, int status, String detail) throws IOException {
        String requestId = exchange.attribute(ExchangeAttributes.REQUEST_ID).orElse(null);
        Problem.of(status, detail, exchange.path(), requestId).sendTo(exchange);
    }
}

package io.signaling.app.config;

import io.signaling.domain.signaling.SignalingRules;
import io.signaling.ports.signaling.IceSettings;
import io.signaling.ports.signaling.ResumeSettings;
import io.signaling.ports.signaling.SignalingSettings;
import io.signaling.ports.websocket.WebSocketSettings;
import java.lang.reflect.RecordComponent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Every setting, declared once: name, type and bounds, default, one line of doc. Parsing,
 * validation, environment names, did-you-mean, {@code check} output, {@code default.yaml} and the
 * README's table are all derived from these declarations ({@code ConfigReferenceTest} fails when
 * the two files drift, and rewrites them with {@code -Dconfig.write=true}).
 *
 * <p><b>To add a setting</b> to an existing section, e.g. {@code redis.timeout}:
 * <ol>
 *   <li>declare it here, in its section's block, in the order it should be listed:
 *       {@code static final Key<Duration> REDIS_TIMEOUT = key("redis.timeout", Types.DURATION,
 *       Duration.ofSeconds(5), "one line of doc");} (pick or add a {@link Types} entry; a type
 *       carries the bounds and their reasons, {@link Types#SECRET} makes it masked everywhere);</li>
 *   <li>add the component to the section's record ({@link RedisConfig}), named as the key in
 *       camel case ({@code timeout}); a record component and a key must match one to one, which
 *       loading checks;</li>
 *   <li>use it ({@code config.redis().timeout()});</li>
 *   <li>regenerate the reference: {@code ./mvnw -o -pl signaling-app -am verify
 *       -Dtest=ConfigReferenceTest -Dconfig.write=true -Dsurefire.failIfNoSpecifiedTests=false}
 *       (rewrites {@code default.yaml} and the README table; review and commit them), then run
 *       {@code ConfigReferenceTest} again without {@code -Dconfig.write} to check the new file
 *       loads to the declared defaults.</li>
 * </ol>
 * A new section also needs its record (next to {@link RedisConfig}), a line in {@link #SECTIONS}
 * and a component of {@link SignalingConfig} named after it. A rule between keys goes into
 * {@link #RULES}.
 */
final class Keys {

    /** Registered in declaration order by {@link #key}, which is the order of every listing. */
    private static final List<Key<?>> DECLARED = new ArrayList<>();

    private static final WebSocketSettings WS = WebSocketSettings.defaults();
    private static final SignalingSettings SIGNALING = SignalingSettings.defaults();

    static final Key<String> SERVICE_NAME = key("service.name", Types.NON_EMPTY, "signaling",
            "`service` metric tag, `service.name` resource");
    static final Key<String> SERVICE_INSTANCE_ID = key("service.instance-id", Types.TEXT, "",
            "`instance` tag, `service.instance.id`; empty: the host name");
    static final Key<String> SERVICE_ENVIRONMENT = key("service.environment", Types.NON_EMPTY, "local",
            "free text, e.g. staging, prod");

    static final Key<String> SERVER_HOST = key("server.host", Types.HOST, "0.0.0.0",
            "public listener address");
    static final Key<Integer> SERVER_PORT = key("server.port", Types.PORT, 8080,
            "public port; 0 picks a free port");
    static final Key<Integer> SERVER_IO_THREADS = key("server.io-threads", Types.THREADS, 0,
            "0: Undertow's default (one per core)");
    static final Key<Integer> SERVER_WORKER_THREADS = key("server.worker-threads", Types.THREADS, 0,
            "0: Undertow's default");
    static final Key<Long> SERVER_MAX_REQUEST_BODY = key("server.max-request-body", Types.SIZE, 1024L * 1024,
            "larger bodies get 413");

    static final Key<Boolean> ADMIN_ENABLED = key("admin.enabled", Types.BOOLEAN, true,
            "the admin listener: health, metrics, debug, apart from public traffic");
    static final Key<String> ADMIN_HOST = key("admin.host", Types.HOST, "127.0.0.1",
            "never public by default");
    static final Key<Integer> ADMIN_PORT = key("admin.port", Types.PORT, 9090,
            "health, `/metrics`, `/debug/*`; 0 picks a free port");
    static final Key<Boolean> ADMIN_ALLOW_PUBLIC = key("admin.allow-public", Types.BOOLEAN, false,
            "true allows a non-loopback admin.host (logged as a warning); false refuses it at start");

    static final Key<Duration> SHUTDOWN_READINESS_DELAY = key("shutdown.readiness-delay", Types.DURATION_OR_ZERO,
            Duration.ZERO, "readiness 503 this long before the listener stops accepting");
    static final Key<Duration> SHUTDOWN_DRAIN_TIMEOUT = key("shutdown.drain-timeout", Types.DURATION,
            SIGNALING.drainTimeout(), "deadline for the WebSocket drain and in-flight requests");
    static final Key<Duration> SHUTDOWN_RETRY_AFTER = key("shutdown.retry-after",
            Types.duration(false, Duration.ofSeconds(1), "must be at least 1s: Retry-After carries whole seconds"),
            Duration.ofSeconds(5), "`Retry-After` of readiness while draining");

    static final Key<Duration> HEALTH_CHECK_TIMEOUT = key("health.check-timeout", Types.DURATION,
            Duration.ofSeconds(2), "a slower check counts as DOWN");
    static final Key<Duration> HEALTH_CACHE_TTL = key("health.cache-ttl", Types.DURATION,
            Duration.ofSeconds(1), "probe storms share results this long");

    static final Key<LogFormat> LOGGING_FORMAT = key("logging.format", Types.enumOf(LogFormat.class, false),
            LogFormat.JSON, "json or text");
    static final Key<LogLevel> LOGGING_LEVEL = key("logging.level", Types.enumOf(LogLevel.class, true),
            LogLevel.INFO, "root level: TRACE, DEBUG, INFO, WARN, ERROR or OFF");
    static final Key<Map<String, LogLevel>> LOGGING_LEVELS = key("logging.levels", Types.LEVELS, Map.of(),
            "per logger, e.g. io.undertow: WARN");
    static final Key<Integer> LOGGING_QUEUE_SIZE = key("logging.queue-size", Types.POSITIVE_INT, 8192,
            "the asynchronous log queue's bound");
    static final Key<Boolean> LOGGING_ACCESS_LOG = key("logging.access-log", Types.BOOLEAN, true,
            "one line per request");
    static final Key<List<String>> LOGGING_ACCESS_LOG_EXCLUDE = key("logging.access-log-exclude", Types.PATHS,
            List.of("/health/live", "/health/ready", "/metrics"), "paths never access-logged");

    static final Key<Boolean> METRICS_ENABLED = key("metrics.enabled", Types.BOOLEAN, true,
            "Prometheus registry and `/metrics` on the admin port");

    static final Key<TracingExporter> TRACING_EXPORTER = key("tracing.exporter",
            Types.enumOf(TracingExporter.class, false), TracingExporter.NONE,
            "none, otlp or logging; none records no span (trace ids still reach logs and traceresponse)");
    static final Key<Double> TRACING_SAMPLING_RATIO = key("tracing.sampling-ratio", Types.RATIO, 1.0,
            "parent-based ratio sampler, 0.0 .. 1.0; applies with an exporter (none samples nothing)");
    static final Key<Boolean> TRACING_HEALTH_PROBE_SPANS = key("tracing.health-probe-spans", Types.BOOLEAN, false,
            "true: /health/live and /health/ready get server spans like other requests; false: none (still timed)");

    static final Key<String> WEBSOCKET_PATH = key("websocket.path", Types.PATH, WS.path(),
            "where the endpoint is mounted");
    static final Key<Integer> WEBSOCKET_MAX_MESSAGE_SIZE = key("websocket.max-message-size", Types.INT_SIZE,
            WS.maxMessageBytes(), "larger frames close 1009", "maxMessageBytes", Map.of());
    static final Key<Duration> WEBSOCKET_IDLE_TIMEOUT = key("websocket.idle-timeout", Types.DURATION,
            WS.idleTimeout(), "no frame and no pong within it: closed");
    static final Key<Duration> WEBSOCKET_PING_INTERVAL = key("websocket.ping-interval", Types.DURATION,
            WS.pingInterval(), "how often the server pings");
    static final Key<Duration> WEBSOCKET_SEND_TIMEOUT = key("websocket.send-timeout", Types.DURATION,
            WS.sendTimeout(), "a stuck write closes 1008");
    static final Key<Integer> WEBSOCKET_SEND_QUEUE_MESSAGES = key("websocket.send-queue-messages",
            Types.POSITIVE_INT, WS.sendQueueMessages(), "per-connection outbound bound in messages");
    static final Key<Long> WEBSOCKET_SEND_QUEUE_BYTES = key("websocket.send-queue-bytes", Types.SIZE,
            WS.sendQueueBytes(), "per-connection outbound bound in bytes");
    static final Key<Integer> WEBSOCKET_MAX_CONNECTIONS = key("websocket.max-connections", Types.POSITIVE_INT,
            WS.maxConnections(), "the next upgrade gets 503");
    static final Key<List<String>> WEBSOCKET_ALLOWED_ORIGINS = key("websocket.allowed-origins", Types.ORIGINS,
            WS.allowedOrigins(), "others get 403; empty: any origin; e.g. [https://app.example.com]",
            "allowedOrigins", Map.of("prod",
                    "required under the prod profile: browsers must only connect from your own pages; set "
                            + "SIGNALING_WEBSOCKET_ALLOWEDORIGINS=https://app.example.com,https://www.example.com "
                            + "or websocket.allowed-origins in the config file"));
    static final Key<Integer> WEBSOCKET_MAX_CONNECTIONS_PER_IP = key("websocket.max-connections-per-ip",
            Types.integer(0, Integer.MAX_VALUE, "must be 0 (no per-address limit) or a positive number of connections"),
            WS.maxConnectionsPerAddress(), "one client address's next upgrade gets 429; 0: no limit",
            "maxConnectionsPerAddress", Map.of());
    static final Key<List<String>> WEBSOCKET_TRUSTED_PROXIES = key("websocket.trusted-proxies", Types.ADDRESS_RANGES,
            WS.trustedProxies(), "IPs/CIDRs whose X-Forwarded-For names the client, e.g. [10.0.0.0/8]");
    static final Key<Double> WEBSOCKET_MESSAGE_SPAN_RATIO = key("websocket.message-span-ratio", Types.RATIO,
            WS.messageSpanRatio(), "of the connections whose trace is sampled (tracing.sampling-ratio, at the upgrade),"
                    + " the share whose messages get spans; 0: no message spans");

    static final Key<Integer> ROOMS_MAX_PEERS = key("rooms.max-peers",
            Types.integer(SignalingRules.MIN_PEERS_PER_ROOM, Integer.MAX_VALUE,
                    "must be at least " + SignalingRules.MIN_PEERS_PER_ROOM + ": a room is for peers to meet"),
            SIGNALING.maxPeersPerRoom(), "a join beyond it gets `room-full`");
    static final Key<Boolean> ROOMS_API_PUBLIC = key("rooms.api-public", Types.BOOLEAN, false,
            "also serve /api/v1/rooms on the public listener, to admin tokens only (needs auth.mode=jwt)");

    static final Key<Double> RATE_LIMIT_MESSAGES_PER_SECOND = key("rate-limit.messages-per-second",
            Types.POSITIVE_DECIMAL, SIGNALING.messagesPerSecond(), "token bucket rate, may be fractional");
    static final Key<Integer> RATE_LIMIT_BURST = key("rate-limit.burst", Types.POSITIVE_INT, SIGNALING.burst(),
            "token bucket size");

    static final Key<Duration> SESSION_RESUME_WINDOW = key("session.resume-window", Types.DURATION_OR_ZERO,
            ResumeSettings.defaults().window(), "(v1.1) how long a lost session waits to be resumed; 0: resume off");
    static final Key<Integer> SESSION_RESUME_BUFFER_MESSAGES = key("session.resume-buffer-messages", Types.POSITIVE_INT,
            ResumeSettings.defaults().bufferMessages(), "(v1.1) messages kept per session for replay; more while suspended ends it");
    static final Key<Long> SESSION_RESUME_BUFFER_BYTES = key("session.resume-buffer-bytes", Types.SIZE,
            ResumeSettings.defaults().bufferBytes(), "(v1.1) the same bound in bytes");

    static final Key<Boolean> REDIS_ENABLED = key("redis.enabled", Types.BOOLEAN, false,
            "true: one node of a cluster sharing this Redis (docs/cluster.md)");
    static final Key<String> REDIS_URI = key("redis.uri", Types.REDIS_URI, "redis://127.0.0.1:6379",
            "redis://, rediss:// (TLS), redis-sentinel://h:26379[,h:26379]#master, or a cluster seed list redis://h:p,redis://h:p; no password");
    static final Key<Secret> REDIS_PASSWORD = key("redis.password", Types.SECRET, Secret.empty(),
            "secret: masked in every output");
    static final Key<String> REDIS_KEY_PREFIX = key("redis.key-prefix", Types.KEY_PREFIX, "signaling",
            "every key starts with it, so several deployments can share one Redis");
    static final Key<Duration> REDIS_NODE_TTL = key("redis.node-ttl", Types.DURATION, Duration.ofSeconds(10),
            "the node lease, renewed every third of it; a crashed node's peers leave within about this");
    static final Key<Duration> REDIS_COMMAND_TIMEOUT = key("redis.command-timeout", Types.DURATION, Duration.ofSeconds(2),
            "longest wait for a Redis command, then unavailable; under a third of redis.node-ttl");
    static final Key<Integer> REDIS_INBOX_MAX_LENGTH = key("redis.inbox-max-length", Types.POSITIVE_INT, 100_000,
            "entries kept at most (approximately) in each node's inbox stream");
    static final Key<Integer> REDIS_REQUEST_QUEUE_SIZE = key("redis.request-queue-size", Types.POSITIVE_INT, 10_000,
            "Redis commands queued at most per connection, and messages waiting per destination node; beyond, refused at once (unavailable)");
    static final Key<Long> REDIS_SEND_QUEUE_BYTES = key("redis.send-queue-bytes", Types.SIZE, 16L * 1024 * 1024,
            "message text waiting per destination node at most; beyond, refused at once (unavailable)");

    static final Key<AuthMode> AUTH_MODE = key("auth.mode", Types.enumOf(AuthMode.class, false), AuthMode.NONE,
            "none: anyone may join any room; jwt: a token at the upgrade, one room per token (docs/security.md);"
                    + " the prod profile requires it set explicitly");
    static final Key<String> AUTH_JWT_AUDIENCE = key("auth.jwt.audience", Types.NON_EMPTY, "signaling",
            "`aud` must contain it", "audience", Map.of());
    static final Key<List<String>> AUTH_JWT_ISSUERS = key("auth.jwt.issuers", Types.list(i -> null), List.of(),
            "accepted `iss` values; empty: any issuer", "issuers", Map.of());
    static final Key<Duration> AUTH_JWT_CLOCK_SKEW = key("auth.jwt.clock-skew", Types.DURATION_OR_ZERO,
            Duration.ofSeconds(30), "allowed for `exp`, `nbf`, `iat`", "clockSkew", Map.of());
    static final Key<List<JwtKeyConfig>> AUTH_JWT_KEYS = key("auth.jwt.keys", Types.JWT_KEYS, List.of(),
            "by kid, each pinning its alg: [{kid: k1, alg: HS256, secret: ...}]; or secret-file, public-key-file (PEM);"
                    + " inline secrets masked", "keys", Map.of());
    static final Key<String> AUTH_JWT_JWKS_URI = key("auth.jwt.jwks-uri", Types.TEXT, "",
            "a JWKS URL, fetched at start, cached, refreshed in the background", "jwksUri", Map.of());

    static final Key<List<String>> TURN_URLS = key("turn.urls", Types.ICE_URLS, List.of(),
            "stun:/turn:/turns: URLs for welcome.iceServers; empty: none");
    static final Key<List<Secret>> TURN_SECRETS = key("turn.secrets", Types.SECRET_LIST, List.of(),
            "coturn static-auth-secrets; the first signs the TURN REST credentials; masked");
    static final Key<Duration> TURN_TTL = key("turn.ttl", Types.duration(false, Duration.ofSeconds(1),
            "must be at least 1s"), IceSettings.DEFAULT_TTL, "TURN credential lifetime, at most 24h");

    /** Settings a profile requires the operator to set (a file, the environment, a flag), even to the default. */
    static final Map<String, List<Key<?>>> EXPLICIT_UNDER = Map.of("prod", List.of(AUTH_MODE));

    /** Each section's record, in the order of {@link SignalingConfig}'s components. */
    static final List<Section<?>> SECTIONS = List.of(
            section("service", ServiceConfig.class),
            section("server", ServerConfig.class),
            section("admin", AdminConfig.class),
            section("shutdown", ShutdownConfig.class),
            section("health", HealthConfig.class),
            section("logging", LoggingConfig.class),
            section("metrics", MetricsConfig.class),
            section("tracing", TracingConfig.class),
            section("websocket", WebSocketSettings.class),
            section("rooms", RoomsConfig.class),
            section("rate-limit", RateLimitConfig.class),
            section("session", SessionConfig.class),
            section("redis", RedisConfig.class),
            section("auth", AuthConfig.class),
            section("turn", TurnConfig.class));

    /**
     * Rules between keys: each returns the reason its key is wrong, or null. A rule that reads a
     * key which is itself invalid is skipped (that key's problem is reported already).
     */
    static final List<Rule> RULES = List.of(
            new Rule(ADMIN_PORT, v -> v.get(ADMIN_ENABLED) && v.get(ADMIN_PORT) != 0
                    && v.get(ADMIN_PORT).equals(v.get(SERVER_PORT))
                    ? "must differ from server.port (" + v.source(SERVER_PORT)
                    + "), or be 0 for a free port, or set admin.enabled=false" : null),
            // /metrics and /debug are unauthenticated: a public admin address must be asked for.
            new Rule(ADMIN_HOST, v -> v.get(ADMIN_ENABLED) && !v.get(ADMIN_ALLOW_PUBLIC)
                    && !new AdminConfig(true, v.get(ADMIN_HOST), 0).loopbackOnly()
                    ? "is not a loopback address, and the admin listener serves /metrics and /debug "
                    + "unauthenticated; bind 127.0.0.1, or set admin.allow-public=true to expose it on purpose "
                    + "(and keep the port off public networks)" : null),
            new Rule(WEBSOCKET_PING_INTERVAL, v -> v.get(WEBSOCKET_PING_INTERVAL).compareTo(
                    v.get(WEBSOCKET_IDLE_TIMEOUT)) >= 0
                    ? "must be shorter than websocket.idle-timeout ("
                    + Values.formatDuration(v.get(WEBSOCKET_IDLE_TIMEOUT)) + "), else quiet but healthy connections "
                    + "time out before they are pinged" : null),
            new Rule(REDIS_NODE_TTL, v -> v.get(REDIS_NODE_TTL).compareTo(Duration.ofMillis(300)) < 0
                    ? "must be at least 300ms: it is renewed every third of it" : null),
            new Rule(REDIS_COMMAND_TIMEOUT, v -> v.get(REDIS_COMMAND_TIMEOUT).multipliedBy(3).compareTo(
                    v.get(REDIS_NODE_TTL)) >= 0
                    ? "must be under a third of redis.node-ttl (" + Values.formatDuration(v.get(REDIS_NODE_TTL))
                    + "), else one slow renewal loses the lease" : null),
            // On the public listener the room management API is guarded by admin tokens: without keys, by nothing.
            new Rule(ROOMS_API_PUBLIC, v -> v.get(ROOMS_API_PUBLIC) && v.get(AUTH_MODE) != AuthMode.JWT
                    ? "needs auth.mode=jwt: on the public listener the room management API takes admin tokens only"
                    : null),
            new Rule(AUTH_JWT_KEYS, v -> v.get(AUTH_MODE) == AuthMode.JWT ? jwtKeyProblems(v) : null),
            new Rule(TURN_SECRETS, v -> v.get(TURN_SECRETS).isEmpty() && v.get(TURN_URLS).stream()
                    .anyMatch(u -> u.toLowerCase(java.util.Locale.ROOT).startsWith("turn"))
                    ? "a turn: or turns: URL needs at least one shared secret (coturn's static-auth-secret)" : null),
            new Rule(TURN_TTL, v -> v.get(TURN_TTL).compareTo(IceSettings.MAX_TTL) > 0
                    ? "must be at most 24h" : null),
            new Rule(SESSION_RESUME_BUFFER_BYTES, v -> v.get(SESSION_RESUME_BUFFER_BYTES) < 1
                    ? "must be at least 1 byte" : null));

    /** The keys' own checks (secret length, PEM, alg) as the verifier will make them, without fetching JWKS. */
    private static String jwtKeyProblems(Bound v) {
        io.signaling.adapter.jwt.JwtVerifiers.Builder check = io.signaling.adapter.jwt.JwtVerifiers.builder();
        for (JwtKeyConfig key : v.get(AUTH_JWT_KEYS)) {
            if (key.isHmac()) {
                check.hmacKey(key.kid(), key.alg(), key.secret().reveal().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            } else {
                check.publicKeyPem(key.kid(), key.alg(), key.publicKeyPem());
            }
        }
        String jwks = v.get(AUTH_JWT_JWKS_URI).strip();
        if (!jwks.isEmpty()) {
            try {
                check.jwksUri(new java.net.URI(jwks));
            } catch (java.net.URISyntaxException e) {
                return "auth.jwt.jwks-uri is not a URI (" + e.getReason() + ")";
            }
        }
        List<String> problems = check.problems().stream().map(p -> p.startsWith("no keys")
                ? "auth.mode is jwt but no key is configured: add auth.jwt.keys or auth.jwt.jwks-uri" : p).toList();
        return problems.isEmpty() ? null : String.join("; ", problems);
    }

    static {
        check();
    }

    private Keys() {
    }

    /** Every key, in declaration order. */
    static List<Key<?>> all() {
        return Collections.unmodifiableList(DECLARED);
    }

    private static <T> Key<T> key(String name, Type<T> type, T defaultValue, String doc) {
        return key(name, type, defaultValue, doc, null, Map.of());
    }

    private static <T> Key<T> key(String name, Type<T> type, T defaultValue, String doc, String field,
                                  Map<String, String> requiredUnder) {
        String local = name.substring(name.indexOf('.') + 1);
        Key<T> key = new Key<>(name, type, defaultValue, doc, field == null ? Key.camel(local) : field,
                requiredUnder);
        DECLARED.add(key);
        return key;
    }

    private static <R extends Record> Section<R> section(String name, Class<R> record) {
        return new Section<>(name, record, DECLARED.stream().filter(k -> k.section().equals(name)).toList());
    }

    /** The values of a bind, as a rule reads them. */
    interface Bound {
        /** @throws Rule.Skip when {@code key} is invalid, which skips the reading rule */
        <T> T get(Key<T> key);

        ConfigSource source(Key<?> key);
    }

    /** A check of {@code key} against others; {@code reason} returns null when it holds. */
    record Rule(Key<?> key, Function<Bound, String> reason) {
        static final class Skip extends RuntimeException {
            private static final long serialVersionUID = 1L;

            Skip() {
                super(null, null, false, false);
            }
        }
    }

    /** One section of keys and the record that holds its values. */
    static final class Section<R extends Record> {
        private final String name;
        private final Class<R> record;
        private final List<Key<?>> keys;

        Section(String name, Class<R> record, List<Key<?>> keys) {
            this.name = name;
            this.record = record;
            this.keys = keys;
        }

        String name() {
            return name;
        }

        List<Key<?>> keys() {
            return keys;
        }

        /** The record of {@code values}, one per key, by the canonical constructor. */
        R construct(Map<Key<?>, Object> values) {
            RecordComponent[] components = record.getRecordComponents();
            Class<?>[] types = new Class<?>[components.length];
            Object[] args = new Object[components.length];
            for (int i = 0; i < components.length; i++) {
                types[i] = components[i].getType();
                args[i] = values.get(keyFor(components[i].getName()));
            }
            return Records.construct(record, types, args);
        }

        /** The value {@code key} has in {@code instance}. */
        Object value(Record instance, Key<?> key) {
            return Records.component(instance, key.field());
        }

        private Key<?> keyFor(String field) {
            return keys.stream().filter(k -> k.field().equals(field)).findFirst().orElseThrow();
        }
    }

    /**
     * The declarations and the records must match one to one, with the same types; checked once
     * when this class loads, so a mismatch fails every config test and every start at once.
     */
    private static void check() {
        Map<String, Section<?>> byField = new LinkedHashMap<>();
        SECTIONS.forEach(s -> byField.put(Key.camel(s.name()), s));
        List<String> sectionComponents = new ArrayList<>();
        for (RecordComponent c : SignalingConfig.class.getRecordComponents()) {
            sectionComponents.add(c.getName());
        }
        require(sectionComponents.equals(List.copyOf(byField.keySet())),
                "SignalingConfig's components " + sectionComponents + " must be the sections " + byField.keySet());
        for (Section<?> section : SECTIONS) {
            RecordComponent[] components = section.record.getRecordComponents();
            List<String> fields = new ArrayList<>();
            for (RecordComponent c : components) {
                fields.add(c.getName());
                Key<?> key = section.keys.stream().filter(k -> k.field().equals(c.getName())).findFirst()
                        .orElseThrow(() -> new IllegalStateException(section.record.getSimpleName() + "."
                                + c.getName() + " has no key declared in Keys"));
                require(boxed(c.getType()).equals(key.type().javaType()),
                        key + " is a " + key.type().javaType().getSimpleName() + " but "
                                + section.record.getSimpleName() + "." + c.getName() + " a " + c.getType());
            }
            for (Key<?> key : section.keys) {
                require(fields.contains(key.field()), key + " has no component " + key.field() + " in "
                        + section.record.getSimpleName());
            }
        }
        require(DECLARED.stream().allMatch(k -> byField.containsKey(Key.camel(k.section()))),
                "every key must be in a declared section");
    }

    private static Class<?> boxed(Class<?> type) {
        if (!type.isPrimitive()) {
            return type;
        }
        return Map.<Class<?>, Class<?>>of(int.class, Integer.class, long.class, Long.class, double.class,
                Double.class, boolean.class, Boolean.class).get(type);
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalStateException("config declarations: " + message);
        }
    }

    static Key<?> byName(String name) {
        Objects.requireNonNull(name, "name");
        return DECLARED.stream().filter(k -> k.name().equals(name)).findFirst().orElse(null);
    }
}

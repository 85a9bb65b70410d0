package io.signaling.app.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;

/**
 * The effective configuration as YAML, in the same shape and units as {@code default.yaml}, with
 * secrets masked as {@code ******}. Its output is itself a valid config file (apart from the
 * masked secrets), which is what {@code check} prints and the launcher logs at debug.
 */
public final class EffectiveConfig {

    private static final YAMLMapper YAML = YAMLMapper.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
            .build();

    private EffectiveConfig() {
    }

    public static String render(SignalingConfig c) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode root = f.objectNode();

        ObjectNode service = root.putObject("service");
        service.put("name", c.service().name());
        service.put("instance-id", c.service().instanceId());
        service.put("environment", c.service().environment());

        ObjectNode server = root.putObject("server");
        server.put("host", c.server().host());
        server.put("port", c.server().port());
        server.put("io-threads", c.server().ioThreads());
        server.put("worker-threads", c.server().workerThreads());
        server.put("max-request-body", Values.formatSize(c.server().maxRequestBody()));

        ObjectNode admin = root.putObject("admin");
        admin.put("enabled", c.admin().enabled());
        admin.put("host", c.admin().host());
        admin.put("port", c.admin().port());

        ObjectNode shutdown = root.putObject("shutdown");
        shutdown.put("readiness-delay", Values.formatDuration(c.shutdown().readinessDelay()));
        shutdown.put("drain-timeout", Values.formatDuration(c.shutdown().drainTimeout()));
        shutdown.put("retry-after", Values.formatDuration(c.shutdown().retryAfter()));

        ObjectNode health = root.putObject("health");
        health.put("check-timeout", Values.formatDuration(c.health().checkTimeout()));
        health.put("cache-ttl", Values.formatDuration(c.health().cacheTtl()));

        ObjectNode logging = root.putObject("logging");
        logging.put("format", lower(c.logging().format()));
        logging.put("level", c.logging().level().name());
        ObjectNode levels = logging.putObject("levels");
        c.logging().levels().forEach((logger, level) -> levels.put(logger, level.name()));
        logging.put("queue-size", c.logging().queueSize());
        logging.put("access-log", c.logging().accessLog());
        list(logging, "access-log-exclude", c.logging().accessLogExclude());

        root.putObject("metrics").put("enabled", c.metrics().enabled());

        ObjectNode tracing = root.putObject("tracing");
        tracing.put("exporter", lower(c.tracing().exporter()));
        tracing.put("sampling-ratio", c.tracing().samplingRatio());

        ObjectNode ws = root.putObject("websocket");
        ws.put("path", c.websocket().path());
        ws.put("max-message-size", Values.formatSize(c.websocket().maxMessageSize()));
        ws.put("idle-timeout", Values.formatDuration(c.websocket().idleTimeout()));
        ws.put("ping-interval", Values.formatDuration(c.websocket().pingInterval()));
        ws.put("send-timeout", Values.formatDuration(c.websocket().sendTimeout()));
        ws.put("send-queue-messages", c.websocket().sendQueueMessages());
        ws.put("send-queue-bytes", Values.formatSize(c.websocket().sendQueueBytes()));
        ws.put("max-connections", c.websocket().maxConnections());
        list(ws, "allowed-origins", c.websocket().allowedOrigins());

        root.putObject("rooms").put("max-peers", c.rooms().maxPeers());

        ObjectNode rate = root.putObject("rate-limit");
        rate.put("messages-per-second", c.rateLimit().messagesPerSecond());
        rate.put("burst", c.rateLimit().burst());

        ObjectNode redis = root.putObject("redis");
        redis.put("enabled", c.redis().enabled());
        redis.put("uri", Binder.display("redis.uri", f.textNode(c.redis().uri())));
        // An unset password shows as empty: operators need to see that, and it reveals nothing.
        redis.put("password", c.redis().password().isEmpty() ? "" : Secret.MASK);
        redis.put("channel-prefix", c.redis().channelPrefix());

        ObjectNode auth = root.putObject("auth");
        auth.put("mode", lower(c.auth().mode()));
        ObjectNode jwt = auth.putObject("jwt");
        jwt.put("audience", c.auth().audience());
        list(jwt, "issuers", c.auth().issuers());
        jwt.put("clock-skew", Values.formatDuration(c.auth().clockSkew()));
        var keys = jwt.putArray("keys");
        for (JwtKeyConfig key : c.auth().keys()) {
            ObjectNode k = keys.addObject();
            k.put("kid", key.kid());
            k.put("alg", key.alg());
            if (!key.isHmac()) {
                k.put("public-key-file", key.source());
            } else if (key.source().equals("secret")) {
                k.put("secret", Secret.MASK);
            } else {
                k.put("secret-file", key.source());
            }
        }
        jwt.put("jwks-uri", c.auth().jwksUri());

        ObjectNode turn = root.putObject("turn");
        list(turn, "urls", c.turn().urls());
        var secrets = turn.putArray("secrets");
        c.turn().secrets().forEach(secret -> secrets.add(Secret.MASK));
        turn.put("ttl", Values.formatDuration(c.turn().ttl()));

        try {
            return YAML.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e); // cannot happen: an in-memory tree of scalars
        }
    }

    private static void list(ObjectNode parent, String name, List<String> items) {
        var array = parent.putArray(name);
        items.forEach(array::add);
    }

    private static String lower(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }
}

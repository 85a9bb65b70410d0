package io.signaling.benchmarks.core;

import io.signaling.adapter.jackson.JacksonCodecs;
import io.signaling.application.signaling.SignalingService;
import io.signaling.ports.signaling.SignalingSettings;
import io.signaling.ports.trace.Scope;
import io.signaling.ports.trace.Span;
import io.signaling.ports.trace.SpanBuilder;
import io.signaling.ports.trace.SpanKind;
import io.signaling.ports.trace.TraceContext;
import io.signaling.ports.trace.Tracer;
import io.signaling.ports.websocket.TextFrame;
import io.signaling.ports.websocket.WebSocketConnection;
import io.signaling.ports.websocket.WebSocketSettings;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Question: what does one relayed message cost the server from the frame the transport read to
 * the text queued on the recipient's connection (rate limit, decode, rules, encode, v1.1
 * numbering, the per-message spans), and how much of it is tracing?
 *
 * <p>Two peers in one room of the real {@link SignalingService} with the production codec; the
 * connections are stand-ins that keep the last text queued. The transport's part of tracing is
 * modelled as the Undertow adapter's {@code ListenerEvents} does it: a {@code websocket.message}
 * span linked to the connection's {@code websocket.open} span, current while the service runs.
 * {@code messageSpans=always} is the behaviour before issue 15 (a span for every message, sampled
 * or not); {@code connection} is the one after it (spans only on a connection whose open span is
 * sampled, {@code websocket.message-span-ratio} 1). Telemetry other than tracing is no-op here, the
 * same for every variant. Run on a build from before issue 15, the service ignores the
 * connection's choice and always starts its own span.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(org.openjdk.jmh.annotations.Scope.Thread)
public class RelayPathBenchmark {

    private static final Pattern PEER_ID = Pattern.compile("\"peerId\":\"([A-Za-z0-9_-]+)\"");
    private static final CompletionStage<Void> DONE = CompletableFuture.completedFuture(null);

    /** v1, or v1.1 (the recipient's copy numbered with {@code seq}, and kept for a resume). */
    @Param({"v1", "v1.1"})
    public String protocol;

    /** {@code small}: the load tool's 200-byte relay; {@code sdp}: an offer with a ~2.5 KB SDP. */
    @Param({"small", "sdp"})
    public String payload;

    /** {@code off}: no tracer; {@code sampled}/{@code unsampled}: the SDK at sampling 1.0 / 0.0. */
    @Param({"off", "sampled", "unsampled"})
    public String tracing;

    @Param({"connection"})
    public String messageSpans;

    private Telemetry telemetry;
    private Tracer tracer;
    private SignalingService service;
    private Connection sender;
    private Connection recipient;
    private TextFrame frame;

    @Setup(Level.Trial)
    public void setUp() {
        if (!tracing.equals("off")) {
            telemetry = Telemetry.withSampling(tracing.equals("sampled") ? 1.0 : 0.0);
        }
        tracer = telemetry == null ? Tracer.noop() : telemetry.tracer;
        // The rate limit lifted, as the macro benchmark does: every frame is relayed.
        SignalingSettings settings = SignalingSettings.of(WebSocketSettings.defaults(), 16, 1e12, Integer.MAX_VALUE,
                Duration.ofSeconds(30));
        service = SignalingService.builder(JacksonCodecs.messageCodec()).settings(settings).tracer(tracer).build();
        sender = open("c-sender");
        recipient = open("c-recipient");
        deliver(sender, TextFrame.of("{\"type\":\"join\",\"room\":\"bench\"}"));
        deliver(recipient, TextFrame.of("{\"type\":\"join\",\"room\":\"bench\"}"));
        String body = payload.equals("sdp") ? CodecBenchmark.OFFER_PAYLOAD
                : CodecBenchmark.SMALL_PAYLOAD;
        frame = TextFrame.of("{\"type\":\"offer\",\"to\":\"" + recipient.peerId + "\",\"payload\":" + body + "}");
        relay();
        // Fail here, not silently in the numbers, when the relay does not arrive as meant.
        String got = recipient.last;
        if (got == null || !got.contains("\"type\":\"offer\"") || !got.contains("\"from\":\"" + sender.peerId + "\"")
                || protocol.equals("v1.1") != got.matches(".*,\"seq\":[0-9]+}")) {
            throw new IllegalStateException("relay not delivered as expected: " + got);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (telemetry != null) {
            telemetry.close();
        }
    }

    private Connection open(String id) {
        // The transport's websocket.open span, as EndpointSupport records it.
        Span open = tracer.spanBuilder("websocket.open").kind(SpanKind.SERVER).attribute("websocket.connection.id", id)
                .start();
        open.end();
        Connection c = new Connection(id, protocol.equals("v1.1") ? "signaling.v1.1" : "", open.context(),
                messageSpans.equals("always") || open.context().isSampled());
        service.onOpen(c);
        Matcher m = PEER_ID.matcher(c.last);
        if (!m.find()) {
            throw new IllegalStateException("no welcome: " + c.last);
        }
        c.peerId = m.group(1);
        return c;
    }

    @Benchmark
    public String relay() {
        deliver(sender, frame);
        return recipient.last;
    }

    /** As the adapter hands a text to the listener. */
    private void deliver(Connection c, TextFrame text) {
        if (!c.traced) {
            service.onText(c, text);
            return;
        }
        SpanBuilder builder = tracer.spanBuilder("websocket.message").kind(SpanKind.SERVER)
                .attribute("websocket.connection.id", c.id);
        if (c.context.isValid()) {
            builder.link(c.context);
        }
        Span span = builder.start();
        try (Scope ignored = span.makeCurrent()) {
            service.onText(c, text);
        } finally {
            span.end();
        }
    }

    /** A connection that keeps what was last queued on it. */
    static final class Connection implements WebSocketConnection {
        final String id;
        final String subprotocol;
        final TraceContext context;
        final boolean traced;
        String peerId;
        String last;
        private Object attachment;

        Connection(String id, String subprotocol, TraceContext context, boolean traced) {
            this.id = id;
            this.subprotocol = subprotocol;
            this.context = context;
            this.traced = traced;
        }

        // No @Override: the same source builds against code from before the method existed.
        public boolean tracesMessages() {
            return traced;
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public InetSocketAddress remoteAddress() {
            return new InetSocketAddress("127.0.0.1", 1);
        }

        @Override
        public Map<String, List<String>> requestHeaders() {
            return Map.of();
        }

        @Override
        public CompletionStage<Void> send(String text) {
            last = text;
            return DONE;
        }

        @Override
        public CompletionStage<Void> send(TextFrame frame) {
            last = frame.text();
            return DONE;
        }

        @Override
        public void close(int code, String reason) {
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public String subprotocol() {
            return subprotocol;
        }

        @Override
        public Object attachment() {
            return attachment;
        }

        @Override
        public void attach(Object attachment) {
            this.attachment = attachment;
        }
    }
}

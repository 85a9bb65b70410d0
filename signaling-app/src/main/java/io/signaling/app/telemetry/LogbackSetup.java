package io.signaling.app.telemetry;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.jul.LevelChangePropagator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.Encoder;
import java.io.OutputStream;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.ILoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * Configures Logback programmatically (no {@code logback.xml} lookup takes part) and owns it
 * until {@link #stop()}.
 *
 * <p>The chain is: every logger → one {@link AsyncAppender} → a console appender on stdout with
 * the {@link JsonLinesEncoder} ({@code json}, default) or the {@link TextLinesEncoder}
 * ({@code text}). java.util.logging is bridged into SLF4J, with Logback's levels propagated to
 * JUL so that disabled JUL statements stay cheap.
 *
 * <h2>What happens when the log queue is full</h2>
 * Request threads never wait for stdout: they put the event on a bounded in-memory queue of
 * {@code queueSize} events and return; a single background thread writes the queue out.
 * When the writer cannot keep up:
 * <ul>
 *   <li>once fewer than {@code R = max(1, queueSize / 5)} slots are left free, new TRACE, DEBUG
 *       and INFO events are <b>dropped</b>; WARN and ERROR events are still queued, so the last
 *       {@code R} slots are kept for them;</li>
 *   <li>when the queue is completely full, every new event, WARN and ERROR included, is
 *       <b>dropped</b> ({@code neverBlock=true}): the logging call returns at once and the
 *       request is not delayed;</li>
 *   <li>dropped events are counted ({@link #droppedEvents()}, exported as
 *       {@code signaling_log_events_dropped_total}); lines already queued are kept in order.</li>
 * </ul>
 * (With {@code queueSize = 1} there is no reserve: any event is dropped while the single slot is
 * taken.) On {@link #stop()} the queue is drained to stdout for at most
 * {@link #MAX_FLUSH_MILLIS} ms, then whatever is left is discarded.
 *
 * <h2>Where the launcher calls this</h2>
 * {@link #routeJBossLoggingToSlf4j()} must be the first statement of {@code main}, before any
 * Undertow, XNIO or JBoss Logging class is loaded (JBoss Logging picks its provider once, when
 * its first logger is created). {@link #configure(LoggingSettings)} comes right after it, before
 * anything logs, and {@link #stop()} is the last step of shutdown, after the server and the
 * tracer have been stopped so their final lines are written.
 *
 * <p>Thread-safety: {@code configure} and {@code stop} are meant for the single start-up and
 * shutdown thread; logging itself is thread-safe.
 */
public final class LogbackSetup implements AutoCloseable {

    /** Silenced below ERROR by default: it logs a stack trace per malformed client header. */
    static final String OTEL_BAGGAGE_PARSER = "io.opentelemetry.api.baggage.propagation.Parser";


    /** The system property JBoss Logging reads to choose its back-end. */
    public static final String JBOSS_LOGGING_PROVIDER = "org.jboss.logging.provider";

    /** How long {@link #stop()} lets the async appender drain its queue. */
    public static final int MAX_FLUSH_MILLIS = 2000;

    static final String ASYNC_APPENDER_NAME = "ASYNC";
    static final String CONSOLE_APPENDER_NAME = "CONSOLE";

    private final LoggerContext context;
    private final boolean julBridged;
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final CountingAsyncAppender async;

    private LogbackSetup(LoggerContext context, boolean julBridged, CountingAsyncAppender async) {
        this.async = async;
        this.context = context;
        this.julBridged = julBridged;
    }

    /**
     * Makes JBoss Logging (used by Undertow and XNIO) log through SLF4J. Sets the
     * {@value #JBOSS_LOGGING_PROVIDER} system property unless the operator already set it.
     * Call before any Undertow class is loaded; later calls have no effect on JBoss Logging.
     */
    public static void routeJBossLoggingToSlf4j() {
        if (System.getProperty(JBOSS_LOGGING_PROVIDER) == null) {
            System.setProperty(JBOSS_LOGGING_PROVIDER, "slf4j");
        }
    }

    /**
     * Resets the Logback context SLF4J is bound to and configures it from {@code settings},
     * writing to stdout, with java.util.logging bridged in.
     *
     * @throws IllegalStateException if SLF4J is not bound to Logback (another binding on the
     *                               class path)
     */
    public static LogbackSetup configure(LoggingSettings settings) {
        Objects.requireNonNull(settings, "settings");
        ILoggerFactory factory = org.slf4j.LoggerFactory.getILoggerFactory();
        if (!(factory instanceof LoggerContext)) {
            throw new IllegalStateException("SLF4J is bound to " + factory.getClass().getName()
                    + ", not Logback; remove the other SLF4J provider from the class path");
        }
        return configure(settings, (LoggerContext) factory, null, true);
    }

    /**
     * The same chain on a context of the caller's, writing to {@code out}, without touching the
     * process-wide java.util.logging bridge: for tests and for hosts that keep their own context.
     */
    public static LogbackSetup configure(LoggingSettings settings, LoggerContext context, OutputStream out) {
        return configure(settings, context, Objects.requireNonNull(out, "out"), false);
    }

    /**
     * The core of {@link #configure(LoggingSettings)}: {@code out == null} means stdout;
     * {@code bridgeJul} installs the process-wide JUL handler, so tests using a private context
     * leave it off.
     */
    /**
     * Loggers quieted whatever the root level, unless {@code logging.levels} names them: at a DEBUG
     * root (the dev profile) the JDK's own loggers flooded the console through the JUL bridge —
     * {@code jdk.event.security} with about 150 lines before {@code started}, the HttpClient under
     * the OTLP exporter with three lines every few seconds, forever — and at INFO libraries print
     * version banners before the {@code started} line, which should be the first a user reads.
     * The OTLP exporter's own failure log is replaced by {@link ReportingSpanExporter}'s.
     */
    static final Map<String, String> QUIET_LOGGERS = Map.of(
            "jdk.event.security", "INFO",
            "jdk.internal.httpclient", "INFO",
            "jdk.internal.httpclient.debug", "INFO",
            "org.xnio", "WARN",
            "io.undertow.websockets.jsr", "WARN",
            // An ERROR with a stack trace per failed batch; ReportingSpanExporter says it once.
            ReportingSpanExporter.REPLACED_LOGGER, "OFF");

    static LogbackSetup configure(LoggingSettings settings, LoggerContext context, OutputStream out,
            boolean bridgeJul) {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(context, "context");
        context.reset();
        if (context.getMDCAdapter() == null) {
            // Only a hand-made context lacks one; SLF4J's own context gets it from the provider.
            context.setMDCAdapter(new LogbackMDCAdapter());
        }

        if (bridgeJul) {
            // Before any level is set, so every level below reaches the JUL loggers too.
            LevelChangePropagator propagator = new LevelChangePropagator();
            propagator.setContext(context);
            propagator.setResetJUL(true);
            context.addListener(propagator);
            propagator.start();
            SLF4JBridgeHandler.removeHandlersForRootLogger();
            SLF4JBridgeHandler.install();
        }

        Encoder<ILoggingEvent> encoder = settings.format() == LoggingSettings.Format.TEXT
                ? new TextLinesEncoder()
                : new JsonLinesEncoder();
        encoder.setContext(context);
        encoder.start();

        OutputStreamAppender<ILoggingEvent> sink;
        if (out == null) {
            ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
            console.setTarget("System.out");
            sink = console;
        } else {
            sink = new OutputStreamAppender<>();
            sink.setOutputStream(out);
        }
        sink.setName(CONSOLE_APPENDER_NAME);
        sink.setContext(context);
        sink.setEncoder(encoder);
        sink.setImmediateFlush(true);
        sink.start();

        CountingAsyncAppender async = asyncAppender(context, settings.queueSize(), settings.includeCallerData(), sink);

        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(LoggingSettings.parseLevel(settings.rootLevel()));
        root.addAppender(async);
        // OpenTelemetry's W3C baggage parser logs a WARNING with a stack trace for every invalid
        // member of a request's baggage header: any client could make the server write one stack
        // trace per request (found by HeaderHandlingFuzzTest, docs/reliability.md). The member is
        // dropped either way; logging.levels can lower this again.
        context.getLogger(OTEL_BAGGAGE_PARSER).setLevel(Level.ERROR);
        // Before the configured levels, which override them.
        QUIET_LOGGERS.forEach((name, level) -> context.getLogger(name).setLevel(LoggingSettings.parseLevel(level)));
        for (Map.Entry<String, String> e : settings.levels().entrySet()) {
            Logger logger = "root".equalsIgnoreCase(e.getKey()) ? root : context.getLogger(e.getKey());
            logger.setLevel(LoggingSettings.parseLevel(e.getValue()));
        }
        if (!context.isStarted()) {
            // A context stopped by an earlier stop() is brought back rather than left half-dead.
            context.start();
        }
        return new LogbackSetup(context, bridgeJul, async);
    }

    /**
     * The non-blocking hand-off described in the class comment, started, in front of
     * {@code downstream}.
     */
    static CountingAsyncAppender asyncAppender(LoggerContext context, int queueSize, boolean includeCallerData,
            Appender<ILoggingEvent> downstream) {
        CountingAsyncAppender async = new CountingAsyncAppender();
        async.setName(ASYNC_APPENDER_NAME);
        async.setContext(context);
        async.setQueueSize(queueSize);
        async.setDiscardingThreshold(discardingThreshold(queueSize));
        async.setNeverBlock(true);
        async.setIncludeCallerData(includeCallerData);
        async.setMaxFlushTime(MAX_FLUSH_MILLIS);
        async.addAppender(downstream);
        async.start();
        return async;
    }

    /**
     * Logback drops INFO-and-below when {@code remainingCapacity < threshold}, so a threshold of
     * {@code R + 1} leaves exactly {@code R} free slots to WARN and ERROR.
     */
    static int discardingThreshold(int queueSize) {
        int reserve = Math.max(1, queueSize / 5);
        return Math.min(queueSize, reserve + 1);
    }

    /**
     * Log events dropped since start because the queue was (nearly) full: the writer fell behind.
     * Never throws; cheap enough to read on every scrape.
     */
    public long droppedEvents() {
        return async.dropped();
    }

    /** The context this set-up configured. */
    public LoggerContext context() {
        return context;
    }

    /**
     * Drains the async queue to stdout (bounded by {@link #MAX_FLUSH_MILLIS}), stops every
     * appender and removes the JUL bridge. Idempotent; logging afterwards is silently discarded.
     */
    public void stop() {
        if (!stopped.compareAndSet(false, true)) {
            return;
        }
        context.stop();
        if (julBridged) {
            SLF4JBridgeHandler.uninstall();
        }
    }

    @Override
    public void close() {
        stop();
    }
}

package io.signaling.adapter.undertow.jsr;

import io.signaling.adapter.undertow.websocket.EndpointSupport.Handshake;
import io.signaling.adapter.undertow.websocket.ManagedConnection;
import io.signaling.adapter.undertow.websocket.ManagedEndpoint;
import io.signaling.ports.log.LoggerFactory;
import io.signaling.ports.metrics.Metrics;
import io.signaling.ports.trace.Tracer;
import io.signaling.ports.websocket.WebSocketListener;
import io.signaling.ports.websocket.WebSocketSettings;
import io.undertow.server.DefaultByteBufferPool;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.servlet.Servlets;
import io.undertow.servlet.api.DeploymentInfo;
import io.undertow.servlet.api.DeploymentManager;
import io.undertow.servlet.api.ServletContainer;
import io.undertow.websockets.jsr.UndertowSession;
import io.undertow.websockets.jsr.WebSocketDeploymentInfo;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.MessageHandler;
import jakarta.websocket.PongMessage;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpointConfig;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.xnio.OptionMap;
import org.xnio.Options;
import org.xnio.Xnio;
import org.xnio.XnioWorker;

/**
 * The Jakarta WebSocket (undertow-websockets-jsr) endpoint: the shared front handler that
 * refuses bad upgrades cheaply, in front of a servlet deployment that holds only the WebSocket
 * endpoint (no HTTP route goes through the servlet stack).
 */
final class JsrWebSocketEndpoint extends ManagedEndpoint {

    private static final String CONNECTION_KEY = ManagedConnection.class.getName();
    private static final long STALE_HANDSHAKE_NANOS = TimeUnit.SECONDS.toNanos(30);
    private static final int HANDSHAKE_SWEEP_THRESHOLD = 1024;

    private final XnioWorker providedWorker;
    private final Endpoint jsrEndpoint = new JsrEndpointAdapter();
    // The Jakarta onOpen learns nothing of the HTTP upgrade: the front handler leaves it here by peer address.
    private final Map<InetSocketAddress, Handshake> handshakes = new ConcurrentHashMap<>();

    private volatile HttpHandler deploymentHandler;
    private DeploymentManager deploymentManager;
    private XnioWorker ownedWorker;

    JsrWebSocketEndpoint(WebSocketSettings settings, WebSocketListener listener, LoggerFactory loggerFactory,
                         Metrics metrics, Tracer tracer, XnioWorker worker) {
        super(settings, listener, loggerFactory, metrics, tracer);
        this.providedWorker = worker;
    }

    // ---------------------------------------------------------------- ManagedEndpoint

    @Override
    protected void startTransport() throws Exception {
        if (deploymentHandler != null) {
            return;
        }
        XnioWorker worker = providedWorker;
        if (worker == null) {
            // Only the Jakarta container's own client side would use it; kept tiny.
            ownedWorker = Xnio.getInstance(JsrWebSocketEndpoint.class.getClassLoader()).createWorker(OptionMap.builder()
                    .set(Options.WORKER_NAME, "signaling-websocket")
                    .set(Options.WORKER_IO_THREADS, 1)
                    .set(Options.WORKER_TASK_CORE_THREADS, 1)
                    .set(Options.WORKER_TASK_MAX_THREADS, 2)
                    .getMap());
            worker = ownedWorker;
        }
        ServerEndpointConfig endpointConfig = ServerEndpointConfig.Builder
                .create(JsrEndpointAdapter.class, settings().path())
                .subprotocols(subprotocols())
                .configurator(new ServerEndpointConfig.Configurator() {
                    @Override
                    public <T> T getEndpointInstance(Class<T> endpointClass) {
                        return endpointClass.cast(jsrEndpoint);
                    }

                    @Override
                    public boolean checkOrigin(String originHeaderValue) {
                        return true; // checked by the front handler, before the servlet stack
                    }
                })
                .build();
        WebSocketDeploymentInfo webSockets = new WebSocketDeploymentInfo()
                .setWorker(worker)
                .setBuffers(new DefaultByteBufferPool(true, 16 * 1024))
                .addEndpoint(endpointConfig);
        DeploymentInfo deployment = Servlets.deployment()
                .setClassLoader(JsrWebSocketEndpoint.class.getClassLoader())
                .setContextPath("")
                .setDeploymentName("signaling-websocket")
                .addServletContextAttribute(WebSocketDeploymentInfo.ATTRIBUTE_NAME, webSockets);
        // A container of our own: several endpoints (or tests) in one JVM never share deployments.
        ServletContainer container = Servlets.newContainer();
        DeploymentManager manager = container.addDeployment(deployment);
        manager.deploy();
        HttpHandler handler = manager.start();
        deploymentManager = manager;
        deploymentHandler = handler;
    }

    @Override
    protected boolean stopTransport(long deadline) throws Exception {
        boolean clean = true;
        DeploymentManager manager = deploymentManager;
        deploymentHandler = null;
        deploymentManager = null;
        if (manager != null) {
            manager.stop();
            manager.undeploy();
        }
        if (ownedWorker != null) {
            ownedWorker.shutdown();
            long remaining = deadline - System.nanoTime();
            if (!ownedWorker.awaitTermination(Math.max(remaining, 0), TimeUnit.NANOSECONDS)) {
                ownedWorker.shutdownNow();
                clean = false;
            }
            ownedWorker = null;
        }
        handshakes.clear();
        return clean;
    }

    // ---------------------------------------------------------------- front handler (I/O thread)

    @Override
    protected void upgrade(HttpServerExchange exchange, Handshake handshake) throws Exception {
        // The deployment's context path is "" and its endpoint path is the full path, so undo any
        // prefix stripping done by a PathHandler we were mounted under.
        exchange.setRelativePath(exchange.getRequestPath());
        HttpHandler deployment = deploymentHandler;
        if (deployment == null) {
            return;
        }
        rememberHandshake(exchange, handshake);
        deployment.handleRequest(exchange);
        if (exchange.isDispatched() && !exchange.isResponseStarted()) {
            // The servlet stack completes the handshake on a worker once this call stack unwinds,
            // after the request's middleware has recorded its status. The request passed every
            // admission check above, so record what it is being handed over for: the upgrade.
            // (A handshake the servlet stack then refuses still answers the client with its own status.)
            exchange.setStatusCode(101);
        }
    }

    private void rememberHandshake(HttpServerExchange exchange, Handshake handshake) {
        long now = handshake.createdNanos();
        if (handshakes.size() > HANDSHAKE_SWEEP_THRESHOLD) {
            // Upgrades that failed after this point never reach onOpen; forget them eventually.
            handshakes.values().removeIf(h -> now - h.createdNanos() > STALE_HANDSHAKE_NANOS);
        }
        handshakes.put(exchange.getConnection().getPeerAddress(InetSocketAddress.class), handshake);
    }

    // ---------------------------------------------------------------- Jakarta endpoint

    /** The one programmatic Jakarta endpoint instance; per-connection state lives in the connection. */
    final class JsrEndpointAdapter extends Endpoint {

        @Override
        public void onOpen(Session session, EndpointConfig config) {
            UndertowSession undertowSession = (UndertowSession) session;
            Handshake handshake = handshakes.remove(undertowSession.getWebSocketChannel().getSourceAddress());
            if (handshake == null) {
                handshake = Handshake.unknown();
            }
            ManagedConnection connection = connect(undertowSession.getWebSocketChannel(), handshake,
                    completion -> new JsrTransport(undertowSession, completion));

            // The limit is ours (onTextPart counts every part); Undertow's own check only counts a
            // message's first read, so it is a loose backstop here.
            session.setMaxTextMessageBufferSize((int) Math.min(Integer.MAX_VALUE, 2L * settings().maxMessageBytes()));
            session.setMaxBinaryMessageBufferSize(0);
            session.setMaxIdleTimeout(0); // our own idle timeout: pings we send must not count as activity
            session.getUserProperties().put(CONNECTION_KEY, connection);
            session.addMessageHandler(String.class, (MessageHandler.Partial<String>) connection::onTextPart);
            session.addMessageHandler(PongMessage.class, (MessageHandler.Whole<PongMessage>) pong -> connection.onPong());
            session.addMessageHandler(ByteBuffer.class,
                    (MessageHandler.Partial<ByteBuffer>) (data, last) -> connection.onBinary());
            register(connection);
        }

        @Override
        public void onClose(Session session, CloseReason closeReason) {
            ManagedConnection connection = connectionOf(session);
            if (connection != null) {
                connection.onTransportClosed(closeReason.getCloseCode().getCode(), closeReason.getReasonPhrase());
            }
        }

        @Override
        public void onError(Session session, Throwable error) {
            ManagedConnection connection = connectionOf(session);
            if (connection != null) {
                connection.onError(error);
            } else {
                log().debug("websocket error before open", error);
            }
        }

        private ManagedConnection connectionOf(Session session) {
            return (ManagedConnection) session.getUserProperties().get(CONNECTION_KEY);
        }
    }
}

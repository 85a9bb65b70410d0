package io.signaling.adapter.undertow;

import io.signaling.ports.lifecycle.Lifecycle;
import io.signaling.ports.websocket.ConnectionHub;
import io.undertow.server.HttpHandler;

/**
 * A WebSocket endpoint ready to mount on an Undertow listener, made by an
 * {@link UndertowWebSocketProvider}.
 *
 * <p>Mount {@link #handler()} at the settings' path (exact or prefix match, both work); it answers
 * refused upgrades itself (403 bad origin, 503 full or draining, 426 not a WebSocket request,
 * {@code application/problem+json} bodies) and hands accepted ones to its WebSocket stack.
 * {@link #start()} makes it accept; {@link #stop(java.time.Duration)} refuses new upgrades,
 * closes every socket with 1001 and waits, within the timeout, for each close to complete and
 * for the listener's {@code onClose} to have run, then releases its resources.
 *
 * <p>Behaviour worth knowing when operating it (every provider):
 * <ul>
 *   <li>Connection ids are 128 random bits (SecureRandom) in unpadded base64url.</li>
 *   <li>The server pings every {@code pingInterval}; a connection with no inbound frame and no pong
 *       within {@code idleTimeout} is closed with 1001 and reason {@code "idle timeout"}.</li>
 *   <li>Text over {@code maxMessageBytes} (a fragmented message counts whole) closes with 1009,
 *       any binary frame with 1003.</li>
 *   <li>Each connection has one write in flight and a queue bounded by {@code sendQueueMessages}
 *       and {@code sendQueueBytes} (UTF-8, the in-flight message included); overflow, or a write
 *       stuck beyond {@code sendTimeout}, closes that connection with 1008 {@code "slow consumer"}.
 *       The socket's kernel send buffer is capped at {@code maxMessageBytes}, so a peer that stops
 *       reading stalls the write in flight at once instead of after megabytes of autotuned buffer.</li>
 *   <li>An empty {@code allowedOrigins} allows every origin (the local profile); otherwise an
 *       upgrade whose {@code Origin} is not listed (case-insensitive) gets 403. An upgrade without
 *       {@code Origin} is not from a browser page, which is what the list protects against, and is
 *       allowed.</li>
 * </ul>
 *
 * <p>Thread-safety: {@link #handler()}, {@link #hub()} and {@link #stopAccepting()} are safe
 * from any thread; {@code start} and {@code stop} follow the {@link Lifecycle} contract.
 */
public interface WebSocketEndpoint extends Lifecycle {

    /** The Undertow handler serving the WebSocket path; valid before {@link #start()} (it answers 503 until then). */
    HttpHandler handler();

    /** The open connections on this endpoint. */
    ConnectionHub hub();

    /** From now on, upgrades get 503; open connections are left alone. Idempotent. */
    void stopAccepting();

    /** Whether new upgrades are accepted: started and not stopping. */
    boolean isAccepting();
}

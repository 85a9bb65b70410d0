package io.signaling.adapter.undertow;

import io.signaling.ports.lifecycle.Lifecycle;
import io.signaling.ports.websocket.ConnectionHub;
import io.undertow.server.HttpHandler;

/**
 * A WebSocket endpoint ready to mount on an Undertow listener, made by {@link UndertowWebSockets}.
 *
 * <p>Mount {@link #handler()} at the settings' path (exact or prefix match, both work); it answers
 * refused upgrades itself (403 bad origin, 503 full or draining, 426 not a WebSocket request,
 * {@code application/problem+json} bodies) and hands accepted ones to the Jakarta WebSocket
 * deployment. {@link #start()} deploys; {@link #stop(java.time.Duration)} refuses new upgrades,
 * closes every socket with 1001 and waits, within the timeout, for each close to complete and
 * for the listener's {@code onClose} to have run, then undeploys.
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

package io.signaling.application.signaling;

import io.signaling.domain.signaling.PeerId;
import io.signaling.domain.signaling.RoomId;
import java.util.Collection;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * This node's sessions by peer id, and the striped room locks under which a room's changes and
 * the deliveries they cause happen (so every member sees one room's changes in one order).
 *
 * <p>Thread-safety: safe for concurrent use; the map is concurrent and the stripes are plain
 * monitors the callers take (lock order: session monitor, then a room stripe).
 */
final class SessionTable {

    private static final int LOCK_STRIPES = 1024;

    private final ConcurrentMap<PeerId, Session> sessions = new ConcurrentHashMap<>();
    private final Object[] stripes = new Object[LOCK_STRIPES];

    SessionTable() {
        for (int i = 0; i < stripes.length; i++) {
            stripes[i] = new Object();
        }
    }

    Session get(PeerId peer) {
        return sessions.get(peer);
    }

    /** @return whether it was added (a session with that peer id did not exist) */
    boolean add(Session session) {
        return sessions.putIfAbsent(session.peerId, session) == null;
    }

    void remove(Session session) {
        sessions.remove(session.peerId, session);
    }

    Collection<Session> all() {
        return sessions.values();
    }

    int size() {
        return sessions.size();
    }

    /** The monitor that orders the changes of {@code room} and their deliveries. */
    Object lockOf(RoomId room) {
        return stripes[(room.hashCode() & 0x7fffffff) % LOCK_STRIPES];
    }
}

package io.signaling.benchmarks.bare;

import io.signaling.benchmarks.json.MiniJson;
import io.undertow.websockets.WebSocketConnectionCallback;
import io.undertow.websockets.core.AbstractReceiveListener;
import io.undertow.websockets.core.BufferedBinaryMessage;
import io.undertow.websockets.core.BufferedTextMessage;
import io.undertow.websockets.core.WebSocketCallback;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.WebSockets;
import io.undertow.websockets.spi.WebSocketHttpExchange;
import org.xnio.IoUtils;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Native undertow-core WebSocket endpoint with the relay subset of signaling v1.
 *
 * <p>A text frame whose first character is not {@code '{'} is echoed unchanged: that is the
 * "bare native echo" figure. A frame starting with {@code '{'} is a contract message: {@code join},
 * {@code leave}, {@code offer}/{@code answer}/{@code candidate} (relayed by {@code to}) and
 * {@code ping}; welcome, joined, peer-joined, peer-left and the contract's error codes are sent as
 * the contract says. Rate limits, idle timeouts and drain are deliberately absent: this is the
 * floor the app is measured against, not a second implementation.
 *
 * <p>Thread-safety: frames of one connection arrive on its IO thread in order; room membership
 * changes are serialized per room by {@link ConcurrentHashMap#compute}; relays read the room's
 * concurrent member map without locking. Undertow queues sends from any thread in call order, so
 * per sender/recipient FIFO holds.
 */
final class BareSignaling implements WebSocketConnectionCallback {

    private static final int MAX_MESSAGE_BYTES = 65536;
    private static final int MAX_PEERS_PER_ROOM = 16;
    private static final String LIMITS = "{\"maxMessageBytes\":" + MAX_MESSAGE_BYTES
            + ",\"maxPeersPerRoom\":" + MAX_PEERS_PER_ROOM
            + ",\"messagesPerSecond\":50,\"burst\":100,\"pingIntervalMs\":20000,\"idleTimeoutMs\":60000}";

    private final SecureRandom random = new SecureRandom();
    private final ConcurrentHashMap<String, Room> rooms = new ConcurrentHashMap<>();
    private final AtomicInteger open = new AtomicInteger();
    private final Set<WebSocketChannel> channels = ConcurrentHashMap.newKeySet();
    private final Object closedSignal = new Object();

    int openConnections() {
        return open.get();
    }

    /**
     * Sends every open socket a close frame with 1001 (going away) and closes it, so clients see
     * the stop at once: stopping the XNIO worker alone can leave upgraded sockets unclosed. The
     * close frames go out without blocking (a peer that does not read must not hang the stop);
     * sockets still open after {@code timeoutMillis} are closed without waiting for theirs.
     */
    void closeAll(long timeoutMillis) {
        for (WebSocketChannel channel : channels) {
            WebSockets.sendClose(1001, "server stopping", channel, new WebSocketCallback<Void>() {
                @Override
                public void complete(WebSocketChannel ch, Void context) {
                    IoUtils.safeClose(ch);
                }

                @Override
                public void onError(WebSocketChannel ch, Void context, Throwable throwable) {
                    IoUtils.safeClose(ch);
                }
            });
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        synchronized (closedSignal) {
            while (!channels.isEmpty() && System.nanoTime() < deadline) {
                try {
                    closedSignal.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        channels.forEach(IoUtils::safeClose);
    }

    @Override
    public void onConnect(WebSocketHttpExchange exchange, WebSocketChannel channel) {
        var peer = new Peer(newPeerId(), channel);
        open.incrementAndGet();
        channels.add(channel);
        channel.addCloseTask(ch -> {
            channels.remove(ch);
            open.decrementAndGet();
            leave(peer, "disconnect", false);
            synchronized (closedSignal) {
                closedSignal.notifyAll();
            }
        });
        channel.getReceiveSetter().set(new AbstractReceiveListener() {
            @Override
            protected void onFullTextMessage(WebSocketChannel ch, BufferedTextMessage message) {
                handleText(peer, message.getData());
            }

            @Override
            protected void onFullBinaryMessage(WebSocketChannel ch, BufferedBinaryMessage message) {
                message.getData().free();
                WebSockets.sendClose(1003, "binary frames are not accepted", ch, null);
            }

            @Override
            protected long getMaxTextBufferSize() {
                return MAX_MESSAGE_BYTES;
            }
        });
        send(peer, "{\"type\":\"welcome\",\"peerId\":\"" + peer.id + "\",\"limits\":" + LIMITS + "}");
        channel.resumeReceives();
    }

    private String newPeerId() {
        byte[] bytes = new byte[16];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private void handleText(Peer peer, String text) {
        if (text.length() > MAX_MESSAGE_BYTES / 3 && utf8Length(text) > MAX_MESSAGE_BYTES) {
            // Undertow 2.3.24 let a 70,000-byte frame through getMaxTextBufferSize in testing, so
            // the contract's limit is enforced here as well.
            WebSockets.sendClose(1009, "message larger than " + MAX_MESSAGE_BYTES + " bytes", peer.channel, null);
            return;
        }
        if (text.isEmpty() || text.charAt(0) != '{') {
            send(peer, text);
            return;
        }
        Map<String, String> msg;
        try {
            msg = MiniJson.parseObject(text);
        } catch (IllegalArgumentException e) {
            error(peer, null, "bad-message", "not a JSON object: " + e.getMessage());
            return;
        }
        String id = MiniJson.string(msg, "id");
        String type = MiniJson.string(msg, "type");
        if (type == null) {
            error(peer, id, "bad-message", "missing string field 'type'");
            return;
        }
        switch (type) {
            case "join" -> join(peer, id, MiniJson.string(msg, "room"));
            case "leave" -> {
                if (peer.room == null) {
                    error(peer, id, "not-in-room", "not in a room");
                } else {
                    leave(peer, "leave", true);
                }
            }
            case "offer", "answer", "candidate" -> relay(peer, id, type, msg);
            case "ping" -> send(peer, id == null ? "{\"type\":\"pong\"}"
                    : "{\"type\":\"pong\",\"id\":" + MiniJson.quote(id) + "}");
            default -> error(peer, id, "unknown-type", "unknown type '" + type + "'");
        }
    }

    private void join(Peer peer, String id, String roomName) {
        if (roomName == null) {
            error(peer, id, "bad-message", "join needs a string field 'room'");
            return;
        }
        if (!validRoom(roomName)) {
            error(peer, id, "invalid-room", "room must be 1-64 chars of [A-Za-z0-9_-]");
            return;
        }
        if (peer.room != null) {
            error(peer, id, "already-in-room", "already in room '" + peer.room.name + "'");
            return;
        }
        // Membership changes under the room's lock; the frames are sent after it is released.
        // Sending inside it deadlocks: Undertow runs a dropped socket's close task (our leave)
        // inside its monitor on that channel, while a send to that channel needs the monitor.
        // Frames to the others are queued before the joiner's "joined", so none of them can get a
        // relay from the newcomer before its peer-joined (the newcomer relays only after joined).
        boolean[] full = {false};
        java.util.List<Runnable> sends = new java.util.ArrayList<>();
        rooms.compute(roomName, (name, room) -> {
            sends.clear();
            Room r = room == null ? new Room(name) : room;
            if (r.members.size() >= MAX_PEERS_PER_ROOM) {
                full[0] = true;
                return r;
            }
            var peers = new StringBuilder("[");
            var joinedNote = "{\"type\":\"peer-joined\",\"room\":\"" + name + "\",\"peerId\":\"" + peer.id
                    + "\",\"polite\":true}";
            for (Peer other : r.members.values()) {
                if (peers.length() > 1) {
                    peers.append(',');
                }
                peers.append('"').append(other.id).append('"');
                sends.add(() -> send(other, joinedNote));
            }
            peers.append(']');
            r.members.put(peer.id, peer);
            peer.room = r;
            String joined = "{\"type\":\"joined\"," + idField(id) + "\"room\":\"" + name + "\",\"peerId\":\""
                    + peer.id + "\",\"peers\":" + peers + ",\"polite\":false}";
            sends.add(() -> send(peer, joined));
            return r;
        });
        sends.forEach(Runnable::run);
        if (full[0]) {
            error(peer, id, "room-full", "room '" + roomName + "' already holds " + MAX_PEERS_PER_ROOM + " peers");
        }
    }

    private void leave(Peer peer, String reason, boolean reply) {
        Room current = peer.room;
        if (current == null) {
            return;
        }
        // As in join: change membership under the room's lock, send after it.
        java.util.List<Runnable> sends = new java.util.ArrayList<>();
        rooms.compute(current.name, (name, r) -> {
            sends.clear();
            if (r == null || r.members.remove(peer.id) == null) {
                return r;
            }
            peer.room = null;
            var note = "{\"type\":\"peer-left\",\"room\":\"" + name + "\",\"peerId\":\"" + peer.id
                    + "\",\"reason\":\"" + reason + "\"}";
            for (Peer other : r.members.values()) {
                sends.add(() -> send(other, note));
            }
            if (reply) {
                sends.add(() -> send(peer, "{\"type\":\"left\",\"room\":\"" + name + "\"}"));
            }
            return r.members.isEmpty() ? null : r;
        });
        sends.forEach(Runnable::run);
    }

    private void relay(Peer peer, String id, String type, Map<String, String> msg) {
        String to = MiniJson.string(msg, "to");
        String payload = msg.get("payload");
        if (to == null || payload == null) {
            error(peer, id, "bad-message", type + " needs a string field 'to' and a field 'payload'");
            return;
        }
        Room room = peer.room;
        if (room == null) {
            error(peer, id, "not-in-room", "not in a room");
            return;
        }
        Peer target = to.equals(peer.id) ? null : room.members.get(to);
        if (target == null) {
            error(peer, id, "peer-not-found", "no peer '" + to + "' in room '" + room.name + "'");
            return;
        }
        send(target, "{\"type\":\"" + type + "\",\"from\":\"" + peer.id + "\",\"to\":" + MiniJson.quote(to)
                + ",\"payload\":" + payload + "}");
    }

    private void error(Peer peer, String id, String code, String message) {
        send(peer, "{\"type\":\"error\"," + idField(id) + "\"code\":\"" + code + "\",\"message\":"
                + MiniJson.quote(message) + "}");
    }

    private static String idField(String id) {
        return id == null ? "" : "\"id\":" + MiniJson.quote(id) + ",";
    }

    private static void send(Peer peer, String text) {
        WebSockets.sendText(text, peer.channel, null);
    }

    private static long utf8Length(String s) {
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n++;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c)) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }

    static boolean validRoom(String name) {
        if (name.isEmpty() || name.length() > 64) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '_' || c == '-';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static final class Peer {
        final String id;
        final WebSocketChannel channel;
        volatile Room room;

        Peer(String id, WebSocketChannel channel) {
            this.id = id;
            this.channel = channel;
        }
    }

    private static final class Room {
        final String name;
        final ConcurrentHashMap<String, Peer> members = new ConcurrentHashMap<>();

        Room(String name) {
            this.name = name;
        }
    }
}

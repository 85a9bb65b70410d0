package io.signaling.adapter.undertow.websocket;

import io.undertow.server.HttpServerExchange;
import io.undertow.server.ServerConnection;
import io.undertow.util.AttachmentKey;
import io.undertow.util.HeaderValues;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The optional per-client-address WebSocket limit ({@code websocket.max-connections-per-ip}): at
 * most N open connections from one client address, so that one host cannot take every slot of
 * {@code websocket.max-connections}.
 *
 * <p>The client address is the TCP peer, unless the peer is a trusted proxy
 * ({@code websocket.trusted-proxies}, addresses or CIDR ranges): then {@code X-Forwarded-For} is read
 * from the right, skipping trusted proxies, and the first address that is not one is the client.
 * An entry that is not an IP literal ends the walk at the hop before it: it was written by someone
 * the server does not trust, so nothing left of it is believed. Names are never resolved. With no
 * trusted proxy, the header is ignored, so a client cannot pick its own address.
 *
 * <p>A slot is taken when an upgrade is admitted and given back when the upgrade's TCP connection
 * closes, whatever ends it (a refused or failed upgrade, a WebSocket close, a drop), through the
 * connection's close listener; so the count follows sockets, not listener events.
 *
 * <p>Thread-safety: safe from any thread; one instance per endpoint. Counts live in a concurrent
 * map whose entries are removed at zero, so the map holds only addresses with open connections.
 */
final class ConnectionsPerAddress {

    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
    private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:.]+");

    private static final AttachmentKey<String> SLOT = AttachmentKey.create(String.class);

    private final int max;
    private final List<Range> trusted;
    private final ConcurrentHashMap<String, Integer> open = new ConcurrentHashMap<>();

    /**
     * @param max            connections allowed per client address; 0 disables the limit
     * @param trustedProxies addresses or CIDR ranges whose {@code X-Forwarded-For} is believed
     * @throws IllegalArgumentException naming the configuration key of a bad value
     */
    ConnectionsPerAddress(int max, List<String> trustedProxies) {
        if (max < 0) {
            throw new IllegalArgumentException("websocket.max-connections-per-ip must be 0 (no limit) or positive, got " + max);
        }
        this.max = max;
        List<Range> ranges = new ArrayList<>();
        for (String proxy : Objects.requireNonNull(trustedProxies, "trustedProxies")) {
            ranges.add(Range.parse(proxy));
        }
        this.trusted = List.copyOf(ranges);
    }

    boolean enabled() {
        return max > 0;
    }

    int limit() {
        return max;
    }

    /**
     * Takes a slot for the exchange's client address, to be given back when its connection
     * closes; refuses when that address already holds the maximum.
     *
     * @return the client address refused, or null when admitted (or when there is no limit)
     */
    String tryAcquire(HttpServerExchange exchange) {
        if (max == 0) {
            return null;
        }
        ServerConnection connection = exchange.getConnection();
        if (connection.getAttachment(SLOT) != null) {
            // A keep-alive connection whose earlier upgrade failed already holds its one slot.
            return null;
        }
        String client = clientAddress(exchange.getSourceAddress(), exchange.getRequestHeaders().get("X-Forwarded-For"));
        boolean[] admitted = {false};
        open.compute(client, (key, count) -> {
            int current = count == null ? 0 : count;
            if (current >= max) {
                return count;
            }
            admitted[0] = true;
            return current + 1;
        });
        if (!admitted[0]) {
            return client;
        }
        connection.putAttachment(SLOT, client);
        connection.addCloseListener(closed -> release(client));
        return null;
    }

    private void release(String client) {
        open.computeIfPresent(client, (key, count) -> count <= 1 ? null : count - 1);
    }

    /** Open connections counted for {@code client} (as {@link #clientAddress} spells it). */
    int openFrom(String client) {
        return open.getOrDefault(client, 0);
    }

    /** The client's address: the peer, or the nearest untrusted hop of X-Forwarded-For behind trusted proxies. */
    String clientAddress(InetSocketAddress source, HeaderValues forwardedFor) {
        InetAddress peer = source == null ? null : source.getAddress();
        if (peer == null) {
            return source == null ? "unknown" : source.getHostString();
        }
        if (forwardedFor == null || trusted.isEmpty() || !isTrusted(peer)) {
            return peer.getHostAddress();
        }
        List<String> hops = new ArrayList<>();
        for (String value : forwardedFor) {
            for (String hop : value.split(",")) {
                hops.add(hop.trim());
            }
        }
        InetAddress client = peer;
        for (int i = hops.size() - 1; i >= 0; i--) {
            InetAddress hop = parseLiteral(hops.get(i));
            if (hop == null) {
                break;
            }
            client = hop;
            if (!isTrusted(hop)) {
                break;
            }
        }
        return client.getHostAddress();
    }

    private boolean isTrusted(InetAddress address) {
        for (Range range : trusted) {
            if (range.contains(address)) {
                return true;
            }
        }
        return false;
    }

    /** An IP literal (IPv4, IPv6, bracketed, with or without a port), or null; never a DNS lookup. */
    static InetAddress parseLiteral(String text) {
        String value = text.trim();
        if (value.startsWith("[")) {
            int end = value.indexOf(']');
            if (end < 0) {
                return null;
            }
            value = value.substring(1, end);
        } else if (value.indexOf(':') > 0 && value.indexOf(':') == value.lastIndexOf(':') && value.contains(".")) {
            value = value.substring(0, value.indexOf(':')); // 192.0.2.1:4711
        }
        var v4 = IPV4.matcher(value);
        if (v4.matches()) {
            byte[] bytes = new byte[4];
            for (int i = 0; i < 4; i++) {
                int octet = Integer.parseInt(v4.group(i + 1));
                if (octet > 255) {
                    return null;
                }
                bytes[i] = (byte) octet;
            }
            return byAddress(bytes);
        }
        if (value.contains(":") && IPV6_CHARS.matcher(value).matches()) {
            try {
                // A string of hex digits, colons and dots is parsed as an IPv6 literal, never looked up.
                return InetAddress.getByName(value);
            } catch (UnknownHostException e) {
                return null;
            }
        }
        return null;
    }

    private static InetAddress byAddress(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("4 or 16 bytes are always an address", e);
        }
    }

    /** An address or CIDR range of trusted proxies. */
    private record Range(byte[] network, int prefix) {

        static Range parse(String text) {
            String value = Objects.requireNonNull(text, "trusted proxy").trim();
            int slash = value.indexOf('/');
            InetAddress address = parseLiteral(slash < 0 ? value : value.substring(0, slash));
            if (address == null) {
                throw new IllegalArgumentException("websocket.trusted-proxies: '" + text
                        + "' is not an IP address or CIDR range (e.g. 10.0.0.0/8, 192.0.2.7, ::1)");
            }
            int bits = address.getAddress().length * 8;
            int prefix = bits;
            if (slash >= 0) {
                try {
                    prefix = Integer.parseInt(value.substring(slash + 1));
                } catch (NumberFormatException e) {
                    prefix = -1;
                }
                if (prefix < 0 || prefix > bits) {
                    throw new IllegalArgumentException("websocket.trusted-proxies: '" + text
                            + "' has a prefix length outside 0.." + bits);
                }
            }
            return new Range(address.getAddress(), prefix);
        }

        boolean contains(InetAddress address) {
            byte[] bytes = address.getAddress();
            if (bytes.length != network.length) {
                return false;
            }
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (bytes[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xFF << (8 - rest)) & 0xFF;
            return (bytes[full] & mask) == (network[full] & mask);
        }

        @Override
        public String toString() {
            return byAddress(network).getHostAddress().toLowerCase(Locale.ROOT) + "/" + prefix;
        }
    }
}

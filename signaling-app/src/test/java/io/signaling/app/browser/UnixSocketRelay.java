package io.signaling.app.browser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Listens on a Unix domain socket and relays every accepted connection, byte for byte in both
 * directions, to a TCP address. It is the one door between a browser locked in a network namespace
 * holding only {@code lo} and a server on the host's loopback: a filesystem socket is visible from
 * both namespaces, a TCP port is not.
 *
 * <p>Blocking channels, two pump threads per connection: a test opens a handful of connections.
 * Thread-safe; {@link #close()} ends the listener, every open connection and every thread.
 */
final class UnixSocketRelay implements AutoCloseable {

    private static final int BUFFER_BYTES = 64 * 1024;

    private final Path socketPath;
    private final InetSocketAddress target;
    private final ServerSocketChannel server;
    private final Thread acceptor;
    private final Set<SocketChannel> open = ConcurrentHashMap.newKeySet();
    private final List<Thread> threads = new CopyOnWriteArrayList<>();
    private final AtomicInteger accepted = new AtomicInteger();
    private volatile boolean closed;

    private UnixSocketRelay(Path socketPath, InetSocketAddress target) throws IOException {
        this.socketPath = Objects.requireNonNull(socketPath, "socketPath");
        this.target = Objects.requireNonNull(target, "target");
        this.server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            server.bind(UnixDomainSocketAddress.of(socketPath));
        } catch (IOException e) {
            server.close();
            throw new IOException("cannot listen on the Unix socket " + socketPath + ": " + e.getMessage(), e);
        }
        this.acceptor = new Thread(this::acceptLoop, "uds-relay-accept");
        acceptor.setDaemon(true);
    }

    /** Binds {@code socketPath} (which must not exist yet) and starts relaying to {@code target}. */
    static UnixSocketRelay start(Path socketPath, InetSocketAddress target) throws IOException {
        UnixSocketRelay relay = new UnixSocketRelay(socketPath, target);
        relay.acceptor.start();
        return relay;
    }

    Path socketPath() {
        return socketPath;
    }

    /** How many connections came in through the socket, for asserting that traffic used this path. */
    int acceptedConnections() {
        return accepted.get();
    }

    private void acceptLoop() {
        while (!closed) {
            SocketChannel inbound;
            try {
                inbound = server.accept();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                if (closed) {
                    return;
                }
                continue;
            }
            accepted.incrementAndGet();
            SocketChannel outbound;
            try {
                outbound = SocketChannel.open(target);
            } catch (IOException e) {
                // The server is gone: the client sees its connection closed, as it would without a relay.
                closeQuietly(inbound);
                continue;
            }
            open.add(inbound);
            open.add(outbound);
            int n = accepted.get();
            AtomicInteger directionsDone = new AtomicInteger();
            pump(inbound, outbound, directionsDone, "uds-relay-" + n + "-up");
            pump(outbound, inbound, directionsDone, "uds-relay-" + n + "-down");
        }
    }

    private void pump(SocketChannel from, SocketChannel to, AtomicInteger directionsDone, String name) {
        Thread t = new Thread(() -> {
            ByteBuffer buffer = ByteBuffer.allocate(BUFFER_BYTES);
            try {
                while (from.read(buffer) >= 0) {
                    buffer.flip();
                    while (buffer.hasRemaining()) {
                        to.write(buffer);
                    }
                    buffer.clear();
                }
                // A half-close travels on, so an HTTP client that finished sending still gets its answer.
                to.shutdownOutput();
                if (directionsDone.incrementAndGet() < 2) {
                    return;
                }
            } catch (IOException e) {
                // A reset (or close()) on one side ends the pair, so the other pump stops too.
            }
            closeQuietly(from);
            closeQuietly(to);
            open.remove(from);
            open.remove(to);
        }, name);
        t.setDaemon(true);
        threads.add(t);
        t.start();
    }

    @Override
    public void close() {
        closed = true;
        closeQuietly(server);
        try {
            // The acceptor first, so no connection is added after the sweep below.
            acceptor.join(5_000);
            open.forEach(UnixSocketRelay::closeQuietly);
            open.clear();
            for (Thread t : threads) {
                t.join(5_000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            Files.deleteIfExists(socketPath);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + socketPath, e);
        }
    }

    private static void closeQuietly(java.nio.channels.Channel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // Closing is best effort: the peer may have gone already.
        }
    }
}

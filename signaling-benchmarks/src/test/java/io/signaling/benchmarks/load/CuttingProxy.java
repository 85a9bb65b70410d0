package io.signaling.benchmarks.load;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback TCP proxy whose connections a test can cut: both ends are reset at once (SO_LINGER 0),
 * so the client and the server each see the connection end without a WebSocket close frame, as when
 * a network goes away. Two threads per connection; for tests with a few dozen sockets.
 */
final class CuttingProxy implements AutoCloseable {

    private final ServerSocket server;
    private final InetSocketAddress target;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    final AtomicInteger accepted = new AtomicInteger();

    CuttingProxy(InetSocketAddress target) throws IOException {
        this.target = target;
        this.server = new ServerSocket(0, 512, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::acceptLoop, "cutting-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                accepted.incrementAndGet();
                Socket upstream = new Socket(target.getAddress(), target.getPort());
                for (Socket s : new Socket[] {client, upstream}) {
                    s.setTcpNoDelay(true);
                    sockets.add(s);
                }
                pipe(client, upstream);
                pipe(upstream, client);
            } catch (IOException e) {
                // Closed, or the target refused this one: the client sees its connection fail.
            }
        }
    }

    private void pipe(Socket from, Socket to) throws IOException {
        InputStream in = from.getInputStream();
        OutputStream out = to.getOutputStream();
        Thread t = new Thread(() -> {
            byte[] buf = new byte[16 * 1024];
            try {
                for (int n; (n = in.read(buf)) >= 0; ) {
                    out.write(buf, 0, n);
                }
            } catch (IOException e) {
                // Cut or closed.
            } finally {
                reset(from);
                reset(to);
            }
        }, "cutting-proxy-pipe");
        t.setDaemon(true);
        t.start();
    }

    /** Resets every open connection; returns how many sockets (both ends) it reset. */
    int cutAll() {
        // A snapshot first: each reset also ends its partner (from the pipe threads) meanwhile.
        java.util.List<Socket> open = java.util.List.copyOf(sockets);
        open.forEach(this::reset);
        return open.size();
    }

    private void reset(Socket s) {
        try {
            s.setSoLinger(true, 0);
        } catch (IOException e) {
            // Already closed.
        }
        try {
            s.close();
        } catch (IOException e) {
            // Already closed.
        }
        sockets.remove(s);
    }

    @Override
    public void close() throws IOException {
        server.close();
        cutAll();
    }
}

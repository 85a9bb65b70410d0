package io.signaling.benchmarks.load;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A minimal RFC 6455 client that multiplexes every socket of a run on ONE selector thread, for
 * relay runs where the JDK client's per-message executor hand-offs made the client, not the
 * server, the bottleneck of a pinned core.
 *
 * <p>All socket I/O, frame parsing and message delivery happen on the selector thread; other
 * threads (the relay pacer, the join loop) only enqueue. Sends go into a bounded per-socket queue
 * and the socket is put on a ready list; the selector is woken once per batch, not once per
 * message (see {@link Connection#schedule}). That keeps RelayMode's one pacer shared by both
 * clients, so {@code pacerMaxLagMs} means the same thing for either, instead of a second pacer
 * integrated into this loop.
 *
 * <p>Supported: text messages (fragmented server messages are reassembled), ping answered with
 * pong, the close handshake in both directions. Binary messages are read and dropped. No TLS.
 */
final class NioWebSockets implements AutoCloseable {

    /** Largest message accepted from the server. */
    static final int MAX_MESSAGE = 1 << 20;
    /** Per-socket bound on text queued and not yet written; a send beyond it fails. */
    static final int MAX_QUEUED_BYTES = 1 << 20;
    /**
     * Starting size of each socket's read and write buffer; they grow for a larger frame and
     * shrink back once it is through. Small on purpose: a relay is ~300 bytes, and 16 KiB a side
     * made 32 MB of live heap for 1,000 sockets that the first young GC copied (a 35 ms pause in
     * the middle of a measured run).
     */
    private static final int BUFFER_BYTES = 2 * 1024;
    private static final int MAX_HANDSHAKE_BYTES = 16 * 1024;
    private static final long HANDSHAKE_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final long TIMEOUT_CHECK_MILLIS = 100;

    private final Selector selector;
    private final Thread thread;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<Connection> ready = new ConcurrentLinkedQueue<>();
    /** Set by the first enqueue after the selector drained {@link #ready}: one wakeup per batch. */
    private final AtomicBoolean wakeupPending = new AtomicBoolean();
    // Selector thread only.
    private final Set<Connection> handshaking = new HashSet<>();
    private volatile boolean running = true;
    /** SO_RCVBUF of every socket, set before connecting (so the TCP window scale fits it); 0: the OS default. */
    private final int receiveBufferBytes;

    NioWebSockets() throws IOException {
        this(0);
    }

    /**
     * A client whose sockets ask for a {@code receiveBufferBytes} kernel receive buffer (0: the OS
     * default). A small one makes a socket that stops reading ({@link Connection#pauseReading})
     * back up the server's writes after a few KiB instead of megabytes: a slow consumer.
     */
    NioWebSockets(int receiveBufferBytes) throws IOException {
        if (receiveBufferBytes < 0) {
            throw new IllegalArgumentException("receiveBufferBytes must not be negative");
        }
        this.receiveBufferBytes = receiveBufferBytes;
        selector = Selector.open();
        thread = new Thread(this::loop, "nio-ws-selector");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Starts a connection for {@code session}. The future completes once the upgrade succeeded
     * (the session is attached and receives from then on) or fails with why it did not.
     */
    CompletableFuture<Void> connect(URI uri, WsSession session) {
        var c = new Connection(uri, session);
        execute(c::start);
        return c.opened;
    }

    private void execute(Runnable task) {
        tasks.add(task);
        wakeupPending.set(true);
        selector.wakeup();
    }

    /** Stops the selector thread and closes every channel (bounded: 2 s for the thread to end). */
    @Override
    public void close() {
        running = false;
        selector.wakeup();
        try {
            thread.join(TimeUnit.SECONDS.toMillis(2));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void loop() {
        long nextTimeoutCheck = 0;
        try {
            while (running) {
                long timeout = handshaking.isEmpty() ? 0 : TIMEOUT_CHECK_MILLIS;
                selector.select(timeout);
                // Cleared before draining: an enqueue racing with the drain below wakes the next select.
                wakeupPending.set(false);
                for (Runnable t; (t = tasks.poll()) != null; ) {
                    t.run();
                }
                var keys = selector.selectedKeys();
                for (SelectionKey key : keys) {
                    var c = (Connection) key.attachment();
                    try {
                        if (!key.isValid()) {
                            continue;
                        }
                        if (key.isConnectable()) {
                            c.finishConnect();
                        }
                        // A pause that ran in this pass's tasks wins over a readiness selected before it.
                        if (key.isValid() && key.isReadable() && !c.readingPaused) {
                            c.readable();
                        }
                        if (key.isValid() && key.isWritable()) {
                            c.flush();
                        }
                    } catch (IOException | RuntimeException e) {
                        c.fail(e);
                    }
                }
                keys.clear();
                for (Connection c; (c = ready.poll()) != null; ) {
                    c.scheduled.set(false);
                    try {
                        c.flush();
                    } catch (IOException | RuntimeException e) {
                        c.fail(e);
                    }
                }
                long now = System.nanoTime();
                if (!handshaking.isEmpty() && now - nextTimeoutCheck >= 0) {
                    nextTimeoutCheck = now + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_CHECK_MILLIS);
                    for (Connection c : handshaking.toArray(Connection[]::new)) {
                        if (now - c.handshakeDeadline > 0) {
                            c.fail(new IOException("WebSocket handshake timed out"));
                        }
                    }
                }
            }
        } catch (IOException | ClosedSelectorException e) {
            // The selector itself failed: nothing can go on; the channels are closed below.
        } finally {
            for (SelectionKey key : selector.keys()) {
                ((Connection) key.attachment()).fail(new IOException("client shut down"));
            }
            try {
                selector.close();
            } catch (IOException e) {
                // Nothing left to release.
            }
        }
    }

    private record Outgoing(byte[] utf8, Object tag) {
    }

    /** One socket. Fields without a note are touched by the selector thread only. */
    final class Connection {
        private final URI uri;
        private final WsSession session;
        final CompletableFuture<Void> opened = new CompletableFuture<>();
        private final String key = WsFrames.newKey();
        private final ConcurrentLinkedQueue<Outgoing> queue = new ConcurrentLinkedQueue<>();
        /** Bytes in {@link #queue}; any thread. */
        private final AtomicInteger queuedBytes = new AtomicInteger();
        /** On {@link #ready} already; any thread. */
        final AtomicBoolean scheduled = new AtomicBoolean();
        /** Control frames (pong, close) to write ahead of queued text. */
        private final ArrayDeque<byte[][]> control = new ArrayDeque<>();
        /** Set once a close frame was queued by either side; any thread reads it. */
        private volatile boolean closeQueued;
        private SocketChannel channel;
        private SelectionKey selectionKey;
        private long handshakeDeadline;
        private boolean open;
        /** Reading stopped by {@link #pauseReading}: OP_READ stays off until {@link #resumeReading}. */
        private boolean readingPaused;
        /** Written by the selector thread; read by senders so a dead socket queues nothing. */
        private volatile boolean closed;
        private boolean closeWhenFlushed;
        private ByteBuffer in = ByteBuffer.allocate(BUFFER_BYTES);
        private ByteBuffer out = ByteBuffer.allocate(BUFFER_BYTES);
        /** Fragments of the message being reassembled; {@code fragmentOpcode} -1 when none. */
        private byte[] fragments = new byte[0];
        private int fragmentLength;
        private int fragmentOpcode = -1;

        Connection(URI uri, WsSession session) {
            this.uri = uri;
            this.session = session;
        }

        private void start() {
            try {
                channel = SocketChannel.open();
                channel.configureBlocking(false);
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                if (receiveBufferBytes > 0) {
                    channel.setOption(StandardSocketOptions.SO_RCVBUF, receiveBufferBytes);
                }
                handshakeDeadline = System.nanoTime() + HANDSHAKE_TIMEOUT_NANOS;
                handshaking.add(this);
                boolean connected = channel.connect(new InetSocketAddress(WsFrames.host(uri), WsFrames.port(uri)));
                selectionKey = channel.register(selector, connected ? SelectionKey.OP_READ : SelectionKey.OP_CONNECT,
                        this);
                if (connected) {
                    sendUpgrade();
                }
            } catch (IOException | RuntimeException e) {
                fail(e);
            }
        }

        private void finishConnect() throws IOException {
            if (channel.finishConnect()) {
                selectionKey.interestOps(SelectionKey.OP_READ);
                sendUpgrade();
            }
        }

        private void sendUpgrade() throws IOException {
            out.put(WsFrames.upgradeRequest(uri, key, session.subprotocol()));
            writeOut();
        }

        /** Any thread: queues one text message; a full queue or a closing socket fails the send. */
        void send(String text, Object tag) {
            if (closeQueued || closed) {
                session.sendFailed(tag, new IOException("socket is closing or closed"));
                return;
            }
            byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
            if (queuedBytes.addAndGet(utf8.length) > MAX_QUEUED_BYTES) {
                queuedBytes.addAndGet(-utf8.length);
                session.sendFailed(tag, new IOException("write queue full (" + MAX_QUEUED_BYTES + " bytes)"));
                return;
            }
            queue.add(new Outgoing(utf8, tag));
            schedule();
        }

        /**
         * Puts this socket on the ready list and wakes the selector only if nobody did since it
         * last drained the list: a pacer tick enqueuing to hundreds of sockets costs one wakeup
         * (one pipe write and one extra select), not one per message.
         */
        private void schedule() {
            if (scheduled.compareAndSet(false, true)) {
                ready.add(this);
                if (!wakeupPending.getAndSet(true)) {
                    selector.wakeup();
                }
            }
        }

        /** Any thread: starts the close handshake (1000); the server's close reply ends the socket. */
        void close() {
            execute(() -> {
                if (open && !closeQueued) {
                    queueClose(new byte[] {0x03, (byte) 0xE8, 'd', 'o', 'n', 'e'});
                    try {
                        flush();
                    } catch (IOException e) {
                        fail(e);
                    }
                }
            });
        }

        /**
         * Any thread: stops reading from the socket (OP_READ off), as a client that no longer
         * reads would: what the server sends piles up in the kernel buffers, then in the server.
         * Frames already read into this side's buffer are still delivered; nothing new is read,
         * so neither pings nor a close frame are seen until {@link #resumeReading}.
         */
        void pauseReading() {
            execute(() -> {
                readingPaused = true;
                if (selectionKey != null && selectionKey.isValid()) {
                    selectionKey.interestOps(selectionKey.interestOps() & ~SelectionKey.OP_READ);
                }
            });
        }

        /** Any thread: reads again after {@link #pauseReading} (what was held back arrives, then any close or drop). */
        void resumeReading() {
            execute(() -> {
                readingPaused = false;
                if (selectionKey != null && selectionKey.isValid()) {
                    selectionKey.interestOps(selectionKey.interestOps() | SelectionKey.OP_READ);
                }
            });
        }

        /** Any thread: drops the socket without a close handshake. */
        void abort() {
            execute(() -> fail(new IOException("aborted")));
        }

        private void queueClose(byte[] payload) {
            closeQueued = true;
            control.add(new byte[][] {{WsFrames.OP_CLOSE}, payload});
        }

        /** Encodes control frames, then queued text, into the write buffer and writes it. */
        void flush() throws IOException {
            if (closed) {
                return;
            }
            if (!open) {
                writeOut(); // the rest of the upgrade request
                return;
            }
            while (true) {
                while (!control.isEmpty()
                        && WsFrames.maskedFrameLength(control.peek()[1].length) <= out.remaining()) {
                    byte[][] f = control.poll();
                    WsFrames.putMaskedFrame(out, f[0][0], f[1]);
                }
                if (closeQueued) {
                    // No data may follow a close frame: whatever is still queued will not be sent.
                    for (Outgoing o; (o = queue.poll()) != null; ) {
                        queuedBytes.addAndGet(-o.utf8.length);
                        session.sendFailed(o.tag, new IOException("socket closed before the send"));
                    }
                } else {
                    for (Outgoing o; (o = queue.peek()) != null; ) {
                        int need = WsFrames.maskedFrameLength(o.utf8.length);
                        if (need > out.remaining()) {
                            if (out.position() > 0 || need <= out.capacity()) {
                                break;
                            }
                            // A message larger than the buffer: grow it for this one (bounded by the queue cap).
                            out = ByteBuffer.allocate(need);
                        }
                        queue.poll();
                        queuedBytes.addAndGet(-o.utf8.length);
                        WsFrames.putMaskedFrame(out, WsFrames.OP_TEXT, o.utf8);
                    }
                }
                boolean drained = writeOut();
                if (!drained) {
                    return; // socket buffer full: OP_WRITE brings us back
                }
                if (control.isEmpty() && (closeQueued || queue.isEmpty())) {
                    if (closeWhenFlushed) {
                        fail(null);
                    }
                    return;
                }
            }
        }

        /** Writes the buffer; true when all of it went out. Keeps OP_WRITE on while some is left. */
        private boolean writeOut() throws IOException {
            out.flip();
            channel.write(out);
            boolean drained = !out.hasRemaining();
            out.compact();
            int ops = selectionKey.interestOps();
            int want = drained ? ops & ~SelectionKey.OP_WRITE : ops | SelectionKey.OP_WRITE;
            if (want != ops) {
                selectionKey.interestOps(want);
            }
            if (drained && out.capacity() > BUFFER_BYTES) {
                out = ByteBuffer.allocate(BUFFER_BYTES);
            }
            return drained;
        }

        private void readable() throws IOException {
            int n = channel.read(in);
            if (n < 0) {
                throw new EOFException(open ? "connection closed without a close frame" : "connection closed in handshake");
            }
            in.flip();
            try {
                if (!open && !readUpgradeResponse()) {
                    return;
                }
                while (!closed && parseFrame()) {
                    // one frame handled per pass
                }
            } finally {
                if (!closed) {
                    if (!in.hasRemaining() && in.capacity() > BUFFER_BYTES) {
                        in = ByteBuffer.allocate(BUFFER_BYTES); // a large frame went through: shrink back
                    } else {
                        in.compact();
                    }
                }
            }
        }

        /** True once the 101 response was read and checked; false while more bytes are needed. */
        private boolean readUpgradeResponse() throws IOException {
            byte[] a = in.array();
            int end = -1;
            for (int i = in.position(); i + 3 < in.limit(); i++) {
                if (a[i] == '\r' && a[i + 1] == '\n' && a[i + 2] == '\r' && a[i + 3] == '\n') {
                    end = i;
                    break;
                }
            }
            if (end < 0) {
                if (in.limit() == in.capacity()) {
                    if (in.capacity() >= MAX_HANDSHAKE_BYTES) {
                        throw new IOException("handshake response headers larger than " + in.capacity() + " bytes");
                    }
                    var bigger = ByteBuffer.allocate(MAX_HANDSHAKE_BYTES);
                    bigger.put(in);
                    bigger.flip();
                    in = bigger;
                }
                return false;
            }
            String head = new String(a, in.position(), end - in.position(), StandardCharsets.ISO_8859_1);
            in.position(end + 4);
            WsFrames.checkResponse(head.split("\r\n"), key);
            open = true;
            handshaking.remove(this);
            session.attach(this);
            opened.complete(null);
            return true;
        }

        /** Handles one complete frame at the buffer's position; false when it is not all here yet. */
        private boolean parseFrame() throws IOException {
            int p = in.position();
            int avail = in.remaining();
            if (avail < 2) {
                return false;
            }
            byte[] a = in.array();
            int b0 = a[p] & 0xFF;
            int b1 = a[p + 1] & 0xFF;
            if ((b1 & 0x80) != 0) {
                throw new IOException("server frames must not be masked");
            }
            if ((b0 & 0x70) != 0) {
                throw new IOException("reserved bits set without a negotiated extension");
            }
            long len = b1 & 0x7F;
            int header = 2;
            if (len == 126) {
                if (avail < 4) {
                    return false;
                }
                len = ((a[p + 2] & 0xFF) << 8) | (a[p + 3] & 0xFF);
                header = 4;
            } else if (len == 127) {
                if (avail < 10) {
                    return false;
                }
                len = in.getLong(p + 2);
                header = 10;
            }
            if (len < 0 || len > MAX_MESSAGE) {
                throw new IOException("frame larger than " + MAX_MESSAGE + " bytes");
            }
            int total = header + (int) len;
            if (avail < total) {
                if (total > in.capacity()) {
                    // Grow for this frame; compact() in readable() keeps the unread bytes.
                    var bigger = ByteBuffer.allocate(total);
                    bigger.put(in);
                    bigger.flip();
                    in = bigger;
                }
                return false;
            }
            in.position(p + total);
            onFrame((b0 & 0x80) != 0, b0 & 0x0F, a, p + header, (int) len);
            return true;
        }

        private void onFrame(boolean fin, int opcode, byte[] a, int off, int len) throws IOException {
            switch (opcode) {
                case WsFrames.OP_TEXT, 0x2 -> {
                    if (fragmentOpcode >= 0) {
                        throw new IOException("new data frame inside a fragmented message");
                    }
                    if (fin) {
                        message(opcode, a, off, len);
                    } else {
                        fragmentOpcode = opcode;
                        append(a, off, len);
                    }
                }
                case WsFrames.OP_CONTINUATION -> {
                    if (fragmentOpcode < 0) {
                        throw new IOException("continuation frame without a message to continue");
                    }
                    append(a, off, len);
                    if (fin) {
                        int op = fragmentOpcode;
                        fragmentOpcode = -1;
                        int n = fragmentLength;
                        fragmentLength = 0;
                        message(op, fragments, 0, n);
                    }
                }
                case WsFrames.OP_PING -> {
                    control.add(new byte[][] {{WsFrames.OP_PONG}, Arrays.copyOfRange(a, off, off + len)});
                    flush();
                }
                case WsFrames.OP_PONG -> {
                    // Unsolicited or not, a pong needs no answer.
                }
                case WsFrames.OP_CLOSE -> {
                    int code = WsFrames.closeCode(Arrays.copyOfRange(a, off, off + len), len);
                    String reason = len > 2 ? new String(a, off + 2, len - 2, StandardCharsets.UTF_8) : "";
                    if (!closeQueued) {
                        // Echo the status (RFC 6455 5.5.1), then drop the TCP connection once it is written.
                        queueClose(len >= 2 ? new byte[] {a[off], a[off + 1]} : new byte[0]);
                    }
                    closeWhenFlushed = true;
                    session.closedBy(code, reason);
                    flush();
                }
                default -> throw new IOException("unknown opcode " + opcode);
            }
        }

        private void append(byte[] a, int off, int len) throws IOException {
            if (fragmentLength + len > MAX_MESSAGE) {
                throw new IOException("message larger than " + MAX_MESSAGE + " bytes");
            }
            if (fragments.length < fragmentLength + len) {
                fragments = Arrays.copyOf(fragments, Math.max(fragmentLength + len, fragments.length * 2));
            }
            System.arraycopy(a, off, fragments, fragmentLength, len);
            fragmentLength += len;
        }

        private void message(int opcode, byte[] a, int off, int len) {
            if (opcode != WsFrames.OP_TEXT) {
                return; // binary: nothing in the signaling contract uses it
            }
            // The receive time is taken here, on the selector thread, as the last frame is parsed.
            long now = System.nanoTime();
            session.deliver(new String(a, off, len, StandardCharsets.UTF_8), now);
        }

        /**
         * Ends the socket: closes the channel and tells the session and anyone waiting on the
         * handshake. {@code error} null is a clean end after the close handshake.
         */
        void fail(Throwable error) {
            if (closed) {
                return;
            }
            closed = true;
            handshaking.remove(this);
            if (selectionKey != null) {
                selectionKey.cancel();
            }
            try {
                if (channel != null) {
                    channel.close();
                }
            } catch (IOException e) {
                // Closing anyway.
            }
            Throwable why = error != null ? error : new IOException("closed");
            opened.completeExceptionally(why);
            session.failed(why);
            for (Outgoing o; (o = queue.poll()) != null; ) {
                queuedBytes.addAndGet(-o.utf8.length);
                session.sendFailed(o.tag, why);
            }
        }
    }
}

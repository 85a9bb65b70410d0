package io.signaling.adapter.undertow.nativews;

import io.signaling.adapter.undertow.websocket.ManagedConnection;
import io.signaling.ports.websocket.CloseCodes;
import io.signaling.ports.websocket.TextFrame;
import io.undertow.connector.PooledByteBuffer;
import io.undertow.websockets.core.AbstractReceiveListener;
import io.undertow.websockets.core.BufferedBinaryMessage;
import io.undertow.websockets.core.CloseMessage;
import io.undertow.websockets.core.StreamSourceFrameChannel;
import io.undertow.websockets.core.WebSocketChannel;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.xnio.ChannelListener;

/**
 * Reads one connection's frames (I/O thread). Text is assembled here rather than by
 * {@code BufferedTextMessage}, whose size limit only counts what the first read returns: a large
 * message arriving over several reads, or in many fragments, would be buffered whole. Here every
 * byte of every fragment counts, and the first byte past {@code maxMessageBytes} closes with 1009
 * and turns the rest of that message into discarded input, never buffered.
 */
final class NativeFrameListener extends AbstractReceiveListener {

    private static final int INITIAL_CAPACITY = 512;

    private final ManagedConnection connection;
    private final int maxMessageBytes;

    NativeFrameListener(ManagedConnection connection, int maxMessageBytes) {
        this.connection = connection;
        this.maxMessageBytes = maxMessageBytes;
    }

    @Override
    protected void onText(WebSocketChannel channel, StreamSourceFrameChannel frame) {
        new MessageReader(channel, frame, false).readAvailable();
    }

    @Override
    protected void onBinary(WebSocketChannel channel, StreamSourceFrameChannel frame) {
        connection.onBinary(); // 1003; the frame is still read to its end so the close handshake can follow
        new MessageReader(channel, frame, true).readAvailable();
    }

    @Override
    protected void onFullPongMessage(WebSocketChannel channel, BufferedBinaryMessage message) throws IOException {
        connection.onPong();
        super.onFullPongMessage(channel, message);
    }

    @Override
    protected void onFullPingMessage(WebSocketChannel channel, BufferedBinaryMessage message) throws IOException {
        connection.onPong(); // a peer that pings is alive too
        super.onFullPingMessage(channel, message);
    }

    @Override
    protected void onCloseMessage(CloseMessage message, WebSocketChannel channel) {
        if (channel.isCloseInitiatedByRemotePeer()) {
            connection.onTransportClosed(message.getCode(), message.getReason());
        } else {
            // The answer to our own close (the cause is set already: no effect), or Undertow's
            // report of a read side that ended without any close frame: a drop.
            connection.onTransportClosed(CloseCodes.ABNORMAL, "");
        }
    }

    @Override
    protected void onError(WebSocketChannel channel, Throwable error) {
        connection.onError(error);
        super.onError(channel, error); // the stream is broken: drop the socket
    }

    /** One text (or discarded binary) message, possibly fragmented, possibly over several reads. */
    private final class MessageReader implements ChannelListener<StreamSourceFrameChannel> {
        private final WebSocketChannel channel;
        private final StreamSourceFrameChannel frame;
        private boolean discard;
        private byte[] bytes;
        private int size;

        MessageReader(WebSocketChannel channel, StreamSourceFrameChannel frame, boolean discard) {
            this.channel = channel;
            this.frame = frame;
            this.discard = discard;
        }

        @Override
        public void handleEvent(StreamSourceFrameChannel ignored) {
            readAvailable();
        }

        void readAvailable() {
            PooledByteBuffer pooled = channel.getBufferPool().allocate();
            try {
                ByteBuffer buffer = pooled.getBuffer();
                for (;;) {
                    buffer.clear();
                    int read = frame.read(buffer);
                    if (read > 0) {
                        if (!discard) {
                            append(buffer, read);
                        }
                    } else if (read == -1) {
                        if (!discard) {
                            // Undertow has validated the UTF-8 of text frames already.
                            String text = bytes == null ? "" : new String(bytes, 0, size, StandardCharsets.UTF_8);
                            bytes = null;
                            connection.onText(new TextFrame(text, size));
                        }
                        return;
                    } else {
                        frame.getReadSetter().set(this);
                        frame.resumeReads();
                        return;
                    }
                }
            } catch (IOException e) {
                onError(channel, e);
            } finally {
                pooled.close();
            }
        }

        private void append(ByteBuffer buffer, int read) {
            if ((long) size + read > maxMessageBytes) {
                discard = true;
                bytes = null;
                connection.messageTooBig();
                return;
            }
            if (bytes == null) {
                bytes = new byte[Math.min(maxMessageBytes, Math.max(INITIAL_CAPACITY, read))];
            } else if (size + read > bytes.length) {
                bytes = Arrays.copyOf(bytes, (int) Math.min(maxMessageBytes, Math.max(size + read, 2L * bytes.length)));
            }
            buffer.flip();
            buffer.get(bytes, size, read);
            size += read;
        }
    }
}

package io.signaling.adapter.undertow.websocket;

import io.signaling.ports.websocket.TextFrame;

/**
 * Text that arrives in parts (fragments, or what one read decoded) made whole, with its size
 * counted as it comes: the message is refused as soon as its total passes the limit, so an
 * oversized message is never buffered whole, however it is fragmented or split across reads.
 *
 * <p>Thread-safety: none; confined to the connection's I/O thread (the transport's read callbacks).
 */
final class TextAssembler {

    /** Where whole messages, and the news of an oversized one, go. */
    interface Sink {
        void text(TextFrame frame);

        /** The message being received passed the limit; its remaining parts are dropped. */
        void tooBig();
    }

    private final int maxMessageBytes;
    private final Sink sink;
    private StringBuilder partial;
    private long partialBytes;
    private boolean discarding;

    TextAssembler(int maxMessageBytes, Sink sink) {
        this.maxMessageBytes = maxMessageBytes;
        this.sink = sink;
    }

    /** One part of the current message; {@code last} ends it. */
    void part(String part, boolean last) {
        if (!discarding) {
            int bytes = TextFrame.utf8Length(part);
            long total = partialBytes + bytes;
            if (total > maxMessageBytes) {
                discarding = true;
                partial = null;
                sink.tooBig();
            } else if (last && partial == null) {
                sink.text(new TextFrame(part, bytes)); // the whole message in one piece: no copy
            } else {
                if (partial == null) {
                    partial = new StringBuilder(Math.min(maxMessageBytes, Math.max(64, 2 * part.length())));
                }
                partial.append(part);
                partialBytes = total;
                if (last) {
                    String text = partial.toString();
                    partial = null;
                    sink.text(new TextFrame(text, (int) total));
                }
            }
        }
        if (last) {
            partial = null;
            partialBytes = 0;
            discarding = false;
        }
    }
}

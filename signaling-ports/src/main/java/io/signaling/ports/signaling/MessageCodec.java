package io.signaling.ports.signaling;

import io.signaling.domain.signaling.ServerMessage;

/**
 * Turns wire text into client messages and server messages into wire text, per the signaling v1
 * contract (one JSON object per frame).
 *
 * <p>Direction: outbound, implemented by a JSON adapter. Thread-safety: safe for concurrent use.
 *
 * <p>Decoding is strict about types and lenient about unknown fields: extra fields are ignored;
 * a missing required field or one of the wrong type is {@code bad-message}; a {@code type} not in
 * the contract is {@code unknown-type}; a {@code join} whose {@code room} is a string that fails
 * the pattern is {@code invalid-room}. A {@code payload} is handed over as the raw JSON text of its
 * value, to be written back unchanged. Decoding never throws: every failure is a
 * {@link Decoded.Invalid} that carries the frame's {@code id} when it could be read. It must bound
 * nesting depth so that a hostile frame cannot exhaust the stack.
 */
public interface MessageCodec {

    Decoded decode(String text);

    /** The JSON text of {@code message}; {@code id} and {@code retryAfterMs} are omitted when null. */
    String encode(ServerMessage message);

    /**
     * (v1.1) {@code encoded} (an object this codec wrote) with {@code "seq":seq} added as its last
     * member. The default works for any compact JSON object ending in <code>}</code>; the message
     * is encoded once for all its recipients and numbered per recipient.
     */
    default String sequenced(String encoded, long seq) {
        int end = encoded.lastIndexOf('}');
        if (end < 1) {
            throw new IllegalArgumentException("not a JSON object: " + encoded);
        }
        return encoded.substring(0, end) + ",\"seq\":" + seq + encoded.substring(end);
    }
}

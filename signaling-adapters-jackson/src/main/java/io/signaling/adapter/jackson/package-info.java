/**
 * The signaling v1 {@link io.signaling.ports.signaling.MessageCodec} on Jackson's streaming API
 * (jackson-core only): strict, bounded decoding of client frames and encoding of server messages.
 * {@link io.signaling.adapter.jackson.JacksonCodecs} is the only public entry point.
 */
package io.signaling.adapter.jackson;

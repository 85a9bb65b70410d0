/**
 * Signaling v1 in pure code: peer and room ids, the client and server message model, the error
 * codes of the wire contract, room membership and the rules that turn an event into what is
 * delivered to whom. No I/O, no threads, JDK only.
 */
package io.signaling.domain.signaling;

package io.signaling.app.config;

/** {@code auth.mode}: who may connect. */
public enum AuthMode {
    /** Anyone who reaches the port may connect and join any room. */
    NONE,
    /** Every upgrade needs a valid JWT, and a connection may join only its token's room. */
    JWT
}

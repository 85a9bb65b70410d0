package io.signaling.app.cli;

/** What the launcher was asked to do. */
public enum Command {
    /** Start the server (no command word). */
    RUN,
    /** {@code check}: validate and print the effective configuration, start nothing. */
    CHECK,
    /**
     * {@code warmup}: a training run. Start the node on loopback, exercise its hot paths once,
     * shut down and exit, so that {@code -XX:ArchiveClassesAtExit} records every class a real
     * start loads (the container image bakes its AppCDS archive this way).
     */
    WARMUP,
    /**
     * {@code token --sub ID --room ROOM [--ttl 1h]}: mint a development token with the configured
     * HMAC key and print it alone on the last line of stdout.
     */
    TOKEN,
    /** {@code --help}: print {@link Cli#usage()}. */
    HELP,
    /** {@code --version}: print {@link Cli#version()}. */
    VERSION
}

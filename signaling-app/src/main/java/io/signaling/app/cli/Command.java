package io.signaling.app.cli;

/** What the launcher was asked to do. */
public enum Command {
    /** Start the server (no command word). */
    RUN,
    /** {@code check}: validate and print the effective configuration, start nothing. */
    CHECK,
    /** {@code --help}: print {@link Cli#usage()}. */
    HELP,
    /** {@code --version}: print {@link Cli#version()}. */
    VERSION
}

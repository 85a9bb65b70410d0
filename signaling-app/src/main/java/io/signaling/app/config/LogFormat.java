package io.signaling.app.config;

/** {@code logging.format}: one JSON object per line, or human-readable text. */
public enum LogFormat {
    JSON,
    TEXT
}

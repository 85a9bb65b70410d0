package io.signaling.app.config;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One raw value and where it came from. File values keep their YAML type (so {@code port: "x"}
 * and {@code port: 1.5} are told apart); env and flag values are always text.
 */
record Entry(JsonNode value, ConfigSource source) {
}

package io.signaling.ports.cluster;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One incarnation of one node: a fresh random id each time a node (re)registers, so that state
 * left behind by a dead or fenced incarnation is never mistaken for the live one's. 1 to 64
 * characters of {@code [A-Za-z0-9_-]}, safe inside any store key.
 */
public record NodeId(String value) {

    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    public NodeId {
        Objects.requireNonNull(value, "value");
        if (!VALID.matcher(value).matches()) {
            throw new IllegalArgumentException("a node id is 1-64 characters of [A-Za-z0-9_-], got '" + value + "'");
        }
    }

    public static NodeId of(String value) {
        return new NodeId(value);
    }

    @Override
    public String toString() {
        return value;
    }
}

package io.signaling.ports.metrics;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * An immutable list of metric tags (dimensions). Values must come from small bounded sets: never
 * put a room name, a peer id or a raw path in a tag.
 */
public final class Tags {

    private static final Tags EMPTY = new Tags(List.of());

    /** One tag. */
    public record Tag(String key, String value) {
        public Tag {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(value, "value");
        }
    }

    private final List<Tag> tags;

    private Tags(List<Tag> tags) {
        this.tags = tags;
    }

    public static Tags empty() {
        return EMPTY;
    }

    /** Tags from alternating keys and values; an odd count is a programming error and throws. */
    public static Tags of(String... keyValues) {
        if (keyValues.length % 2 != 0) {
            throw new IllegalArgumentException("tags need key/value pairs, got " + Arrays.toString(keyValues));
        }
        List<Tag> list = new ArrayList<>(keyValues.length / 2);
        for (int i = 0; i < keyValues.length; i += 2) {
            list.add(new Tag(keyValues[i], keyValues[i + 1]));
        }
        return new Tags(Collections.unmodifiableList(list));
    }

    public Tags and(String key, String value) {
        List<Tag> list = new ArrayList<>(tags.size() + 1);
        list.addAll(tags);
        list.add(new Tag(key, value));
        return new Tags(Collections.unmodifiableList(list));
    }

    public Tags and(Tags other) {
        if (other.tags.isEmpty()) {
            return this;
        }
        List<Tag> list = new ArrayList<>(tags.size() + other.tags.size());
        list.addAll(tags);
        list.addAll(other.tags);
        return new Tags(Collections.unmodifiableList(list));
    }

    public List<Tag> asList() {
        return tags;
    }

    public boolean isEmpty() {
        return tags.isEmpty();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Tags other && tags.equals(other.tags);
    }

    @Override
    public int hashCode() {
        return tags.hashCode();
    }

    @Override
    public String toString() {
        return tags.toString();
    }
}

package io.signaling.ports.http;

import java.util.Objects;

/**
 * A typed key for values middleware attaches to an exchange. Keys compare by identity, so two
 * modules never clash on a name.
 *
 * @param <T> the type of the value
 */
public final class AttributeKey<T> {

    private final String name;
    private final Class<T> type;

    private AttributeKey(String name, Class<T> type) {
        this.name = Objects.requireNonNull(name, "name");
        this.type = Objects.requireNonNull(type, "type");
    }

    public static <T> AttributeKey<T> of(String name, Class<T> type) {
        return new AttributeKey<>(name, type);
    }

    public String name() {
        return name;
    }

    public T cast(Object value) {
        return type.cast(value);
    }

    @Override
    public String toString() {
        return "AttributeKey[" + name + "]";
    }
}

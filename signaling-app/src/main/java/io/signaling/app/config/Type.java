package io.signaling.app.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.function.Consumer;

/**
 * How one kind of setting is read, checked and written back: a port, a duration, a list of
 * origins. A type carries its bounds, so a key's declaration ({@link Keys}) names everything about
 * it in one line. Implementations are stateless and thread-safe; see {@link Types}.
 *
 * @param <T> the Java value, as the record component that holds it
 */
interface Type<T> {

    /** The record component's type (boxed for primitives), checked against the record at start. */
    Class<?> javaType();

    /**
     * The typed value of {@code raw}, or {@code null} after reporting at least one reason to
     * {@code problems} (each a sentence such as "must be positive"). A value returned after a
     * reported problem is discarded.
     */
    T parse(JsonNode raw, Consumer<String> problems);

    /** The value in the form and units an operator writes in a config file. */
    JsonNode render(T value);

    /** Text as it may be shown in output and problem lines; a type holding credentials masks them. */
    default String display(String text) {
        return text;
    }

    /** A list: a YAML sequence, or a comma-separated string from env and flags. */
    default boolean isList() {
        return false;
    }

    /** Never shown: {@code check}, logs and problems print {@link Secret#MASK}. */
    default boolean isSecret() {
        return false;
    }
}

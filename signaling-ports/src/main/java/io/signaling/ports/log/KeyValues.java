package io.signaling.ports.log;

import java.util.Arrays;
import java.util.function.BiConsumer;

/** Helpers for the lenient key/value convention of {@link Logger}; adapters use them to render. */
public final class KeyValues {

    /** The shared empty array, so that no-argument events allocate nothing. */
    public static final Object[] NONE = new Object[0];

    /** The key under which the value-less last key of an odd-length array is reported. */
    public static final String DANGLING_KEY = "_dangling";

    private KeyValues() {
    }

    static Object[] orNone(Object[] keyValues) {
        return keyValues == null ? NONE : keyValues;
    }

    /**
     * Visits each pair leniently: non-string keys become {@code String.valueOf(key)} (a null key
     * becomes {@code "null"}), and a trailing key without value is visited as
     * ({@value #DANGLING_KEY}, key).
     */
    public static void forEach(Object[] keyValues, BiConsumer<String, Object> visitor) {
        if (keyValues == null) {
            return;
        }
        int pairs = keyValues.length / 2;
        for (int i = 0; i < pairs; i++) {
            Object key = keyValues[2 * i];
            visitor.accept(key instanceof String s ? s : String.valueOf(key), keyValues[2 * i + 1]);
        }
        if (keyValues.length % 2 == 1) {
            visitor.accept(DANGLING_KEY, keyValues[keyValues.length - 1]);
        }
    }

    /** Concatenates two key/value arrays, parent pairs first. */
    public static Object[] concat(Object[] first, Object[] second) {
        if (second == null || second.length == 0) {
            return first == null ? NONE : first;
        }
        if (first == null || first.length == 0) {
            return second;
        }
        Object[] all = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, all, first.length, second.length);
        return all;
    }
}

package io.signaling.benchmarks.load;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Counts the contract's {@code error} replies by code across all sessions. Thread-safe. */
final class ErrorCounts {

    private final ConcurrentHashMap<String, LongAdder> byCode = new ConcurrentHashMap<>();

    void add(String code) {
        byCode.computeIfAbsent(code == null ? "(no code)" : code, c -> new LongAdder()).increment();
    }

    long total() {
        return byCode.values().stream().mapToLong(LongAdder::sum).sum();
    }

    Map<String, Object> snapshot() {
        var m = new TreeMap<String, Object>();
        byCode.forEach((k, v) -> m.put(k, v.sum()));
        return m;
    }
}

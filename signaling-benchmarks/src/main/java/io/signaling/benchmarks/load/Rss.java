package io.signaling.benchmarks.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads a local process's resident set size from {@code /proc/PID/status} (Linux only). */
final class Rss {

    private Rss() {
    }

    /** VmRSS of {@code pid} in KiB, or -1 when it cannot be read (not Linux, no such process). */
    static long kib(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.substring(6).replace("kB", "").trim());
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}

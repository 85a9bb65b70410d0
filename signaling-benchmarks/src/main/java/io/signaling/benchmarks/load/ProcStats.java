package io.signaling.benchmarks.load;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads a local process's resident set size from {@code /proc/PID/status} and its CPU time from
 * {@code /proc/PID/stat} (Linux only).
 */
final class ProcStats {

    private ProcStats() {
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

    /** Clock ticks per second of /proc's CPU times: USER_HZ, which Linux fixes at 100 for user space. */
    private static final long TICKS_PER_SECOND = 100;

    /** User + system CPU time of {@code pid} so far in nanoseconds, or -1 when it cannot be read. */
    static long cpuNanos(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // The command name (field 2) may hold spaces and parentheses: count from the last ')'.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
            long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime: fields 14 and 15
            return ticks * (1_000_000_000L / TICKS_PER_SECOND);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}

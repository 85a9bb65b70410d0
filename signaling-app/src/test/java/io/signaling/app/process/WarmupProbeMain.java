package io.signaling.app.process;

import io.signaling.app.Launcher;
import io.signaling.app.telemetry.LogbackSetup;
import io.signaling.ports.lifecycle.Lifecycle;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

/**
 * The product's launcher, exactly as {@code Main} runs it, plus a probe of what a run leaves in the
 * JVM: the TCP sockets this process listens on (Linux {@code /proc}) while the node runs, seen by
 * a component started after the listeners, and again once {@link Launcher#run} returned; and the
 * non-daemon threads still alive then, each given {@link #THREAD_GRACE} to end. Printed as one
 * JSON line, {@value #MESSAGE}, before exiting with the launcher's code. The probe while running
 * is what shows the one after can see listeners at all.
 */
public final class WarmupProbeMain {

    static final String MESSAGE = "leftovers";
    private static final Duration THREAD_GRACE = Duration.ofSeconds(5);

    private WarmupProbeMain() {
    }

    public static void main(String[] args) throws Exception {
        LogbackSetup.routeJBossLoggingToSlf4j();
        AtomicReference<List<String>> whileRunning = new AtomicReference<>(List.of());
        int code = new Launcher(System.getenv(), System.out, System.err, Launcher.osSignals(),
                node -> node.component(new Lifecycle() {
                    @Override
                    public void start() throws IOException {
                        whileRunning.set(listeningSockets());
                    }

                    @Override
                    public boolean stop(Duration timeout) {
                        return true;
                    }
                }))
                .run(args);
        List<String> after = listeningSockets();
        List<String> threads = nonDaemonThreadsAfter(THREAD_GRACE);
        System.out.println("{\"message\":\"" + MESSAGE + "\",\"listening_while_running\":" + json(whileRunning.get())
                + ",\"listening_after\":" + json(after) + ",\"threads_after\":" + json(threads) + "}");
        System.out.flush();
        System.exit(code);
    }

    /** Local addresses ({@code /proc} hex form) of the TCP sockets in LISTEN state this process holds. */
    static List<String> listeningSockets() throws IOException {
        Set<String> inodes = new HashSet<>();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
            for (Path fd : fds) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(target.substring("socket:[".length(), target.length() - 1));
                    }
                } catch (IOException e) {
                    // Closed between listing and reading: not held any more.
                }
            }
        }
        List<String> listening = new ArrayList<>();
        // The tables list the whole network namespace; the inodes keep this process's sockets.
        for (String table : List.of("/proc/self/net/tcp", "/proc/self/net/tcp6")) {
            Path path = Path.of(table);
            if (!Files.exists(path)) {
                continue;
            }
            List<String> lines = Files.readAllLines(path);
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.trim().split("\\s+");
                // sl local_address rem_address st ... inode (10th column); st 0A is LISTEN.
                if (f.length > 9 && f[3].equals("0A") && inodes.contains(f[9])) {
                    listening.add(f[1]);
                }
            }
        }
        return listening;
    }

    /** Non-daemon threads other than this one that are still alive after each had {@code grace} to end. */
    private static List<String> nonDaemonThreadsAfter(Duration grace) throws InterruptedException {
        long deadline = System.nanoTime() + grace.toNanos();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t != Thread.currentThread() && !t.isDaemon()) {
                t.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            }
        }
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t != Thread.currentThread() && !t.isDaemon() && t.isAlive())
                .map(Thread::getName)
                .sorted()
                .collect(Collectors.toList());
    }

    private static String json(List<String> values) {
        return values.stream().map(v -> "\"" + v.replace("\\", "\\\\").replace("\"", "\\\"") + "\"")
                .collect(Collectors.joining(",", "[", "]"));
    }
}

package io.signaling.app;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * SIGTERM and SIGINT start the graceful shutdown on a thread of its own; a second signal while it
 * runs ends the process at once (exit 130), the escape hatch operators expect from Ctrl-C twice.
 *
 * <p>The JVM's default handlers would run shutdown hooks and exit with 143 (128 + SIGTERM); the
 * server replaces them so that a clean drain exits 0, as orchestrators and the issue expect.
 * {@code sun.misc.Signal} is the supported (jdk.unsupported) way to do that on JDK 17.
 */
final class OsSignals implements Launcher.SignalSource {

    @Override
    @SuppressWarnings("removal")
    public void onShutdownRequest(Runnable action) {
        Objects.requireNonNull(action, "action");
        AtomicBoolean started = new AtomicBoolean();
        sun.misc.SignalHandler handler = signal -> {
            if (started.compareAndSet(false, true)) {
                Thread shutdown = new Thread(action, "signaling-shutdown-" + signal.getName());
                shutdown.start();
            } else {
                System.err.println("signaling: second SIG" + signal.getName() + " during shutdown; exiting now");
                Runtime.getRuntime().halt(130);
            }
        };
        sun.misc.Signal.handle(new sun.misc.Signal("TERM"), handler);
        sun.misc.Signal.handle(new sun.misc.Signal("INT"), handler);
    }
}

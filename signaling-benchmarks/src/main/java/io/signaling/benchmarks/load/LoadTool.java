package io.signaling.benchmarks.load;

import java.io.PrintStream;

/**
 * The signaling load tool: {@code java -jar signaling-load.jar MODE --url URL [options]}.
 *
 * <p>Modes {@code hold}, {@code relay}, {@code echo} and {@code http} (see {@link Options#USAGE}).
 * Every run is bounded by its duration and connect timeout and stops by itself; targets outside
 * the loopback range are refused unless {@code --allow-remote}; a progress line goes to stderr
 * every second and one JSON summary line to stdout at the end.
 *
 * <p>Exit codes: 0 every check held, 1 a check failed (loss, misrouting, drops, errors) or the
 * run could not complete, 2 usage error.
 */
public final class LoadTool {

    private LoadTool() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs one load test; returns the process exit code. Never calls {@code System.exit}. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        Options options;
        try {
            options = Options.parse(args);
        } catch (UsageException e) {
            err.println("signaling-load: " + e.getMessage());
            err.println(Options.USAGE);
            return 2;
        }
        try {
            Outcome outcome = switch (options.mode()) {
                case "hold" -> HoldMode.run(options, err);
                case "relay" -> RelayMode.run(options, err);
                case "echo" -> options.client().equals("nio") ? ClosedLoopMode.run(options, err) : EchoMode.run(options, err);
                case "http" -> HttpMode.run(options, err);
                default -> throw new IllegalStateException("unreachable: mode " + options.mode());
            };
            out.println(JsonOut.write(outcome.summary()));
            out.flush();
            return outcome.ok() ? 0 : 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("signaling-load: interrupted");
            return 1;
        } catch (RuntimeException e) {
            err.println("signaling-load: run failed: " + e);
            return 1;
        }
    }
}

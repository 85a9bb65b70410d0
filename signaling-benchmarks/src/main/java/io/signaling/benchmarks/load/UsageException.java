package io.signaling.benchmarks.load;

/** A command-line problem: reported with the usage text and exit code 2. */
final class UsageException extends Exception {
    UsageException(String message) {
        super(message);
    }
}

package io.signaling.app.config;

import java.util.Objects;

/**
 * Where a configuration value came from. Its {@code toString()} is the operator-facing description
 * used in problem messages: {@code default.yaml}, {@code profile dev}, {@code file /etc/x.yaml},
 * {@code env SIGNALING_SERVER_PORT}, {@code flag --server.port}, {@code command warmup}.
 */
public sealed interface ConfigSource {

    /** The classpath {@code default.yaml}. */
    record Defaults() implements ConfigSource {
        @Override
        public String toString() {
            return "default.yaml";
        }
    }

    /** The classpath {@code profiles/NAME.yaml}. */
    record Profile(String name) implements ConfigSource {
        public Profile {
            Objects.requireNonNull(name, "name");
        }

        @Override
        public String toString() {
            return "profile " + name;
        }
    }

    /** The explicit config file, as the operator named it. */
    record File(String path) implements ConfigSource {
        public File {
            Objects.requireNonNull(path, "path");
        }

        @Override
        public String toString() {
            return "file " + path;
        }
    }

    /** An environment variable. */
    record Env(String variable) implements ConfigSource {
        public Env {
            Objects.requireNonNull(variable, "variable");
        }

        @Override
        public String toString() {
            return "env " + variable;
        }
    }

    /** A command-line option, named without its value, e.g. {@code --server.port}. */
    record Flag(String option) implements ConfigSource {
        public Flag {
            Objects.requireNonNull(option, "option");
        }

        @Override
        public String toString() {
            return "flag " + option;
        }
    }

    /** A value a command forces above every other source (see {@link ConfigRequest.Overrides}). */
    record Command(String name) implements ConfigSource {
        public Command {
            Objects.requireNonNull(name, "name");
        }

        @Override
        public String toString() {
            return "command " + name;
        }
    }
}

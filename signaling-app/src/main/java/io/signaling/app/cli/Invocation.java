package io.signaling.app.cli;

import io.signaling.app.config.ConfigProblem;
import io.signaling.app.config.SignalingConfig;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The parsed command line: the command, and for {@link Command#RUN}, {@link Command#CHECK} and
 * {@link Command#WARMUP} either the validated configuration or the problems that prevent it
 * (never both); for {@code WARMUP} the configuration already carries {@link Cli#WARMUP_OVERRIDES}.
 * {@link Command#HELP} and {@link Command#VERSION} load no configuration, so they work even when
 * it is broken.
 *
 * @param command  what to do
 * @param config   the configuration, present exactly when {@code problems} is empty and the
 *                 command needs one
 * @param problems every usage and configuration problem, in the order found
 * @param token    for {@link Command#TOKEN}: what to mint
 */
public record Invocation(Command command, Optional<SignalingConfig> config, List<ConfigProblem> problems,
                         Optional<TokenRequest> token) {

    /** What {@code token} was asked to mint. */
    public record TokenRequest(String subject, String room, java.time.Duration ttl) {
    }

    public Invocation(Command command, Optional<SignalingConfig> config, List<ConfigProblem> problems) {
        this(command, config, problems, Optional.empty());
    }

    public Invocation {
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(config, "config");
        problems = List.copyOf(problems);
        if (config.isPresent() && !problems.isEmpty()) {
            throw new IllegalArgumentException("an invocation has a config or problems, not both");
        }
    }

    public boolean isValid() {
        return problems.isEmpty();
    }

    /** The problems one per line, as the launcher prints them to stderr before exiting 2. */
    public String problemReport() {
        return problems.stream().map(ConfigProblem::toString).collect(Collectors.joining("\n"));
    }
}

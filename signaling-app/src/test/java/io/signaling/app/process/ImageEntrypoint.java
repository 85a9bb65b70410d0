package io.signaling.app.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * {@code docker/entrypoint-command.txt} read by its documented format (version 2): what the
 * image's runtime stage runs, and the commands its build runs to write generated files (the
 * AppCDS archive). Strict, so that a directive this reader does not understand fails the test
 * instead of being silently dropped from what it runs.
 *
 * @param generated image path of each generated file to the command that writes it
 */
record ImageEntrypoint(List<String> args, Map<String, String> env, Map<String, String> files,
                       Map<String, List<String>> generated, String user, String workdir, List<Integer> exposed,
                       String healthcheck, String stopSignal) {

    /** What a shell leaves alone: the Dockerfile's RUN spells a generate command as these values joined by spaces. */
    private static final Pattern SHELL_SAFE = Pattern.compile("[A-Za-z0-9_./:=+,@%-]+");

    static ImageEntrypoint parse(Path file) throws IOException {
        List<String> args = new ArrayList<>();
        Map<String, String> env = new LinkedHashMap<>();
        Map<String, String> files = new LinkedHashMap<>();
        Map<String, List<String>> generated = new LinkedHashMap<>();
        String generating = null;
        List<Integer> exposed = new ArrayList<>();
        String user = null;
        String workdir = null;
        String healthcheck = null;
        String stopSignal = null;
        boolean formatSeen = false;
        int number = 0;
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            number++;
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int space = line.indexOf(' ');
            if (space <= 0) {
                throw bad(file, number, line, "expected 'KEYWORD VALUE'");
            }
            String keyword = line.substring(0, space);
            String value = line.substring(space + 1);
            if (!formatSeen && !keyword.equals("format")) {
                throw bad(file, number, line, "the first directive must be 'format'");
            }
            switch (keyword) {
                case "format" -> {
                    if (!value.equals("2")) {
                        throw bad(file, number, line, "unknown format version (this reader knows 2)");
                    }
                    formatSeen = true;
                }
                case "arg" -> args.add(value);
                case "env" -> {
                    int eq = value.indexOf('=');
                    if (eq <= 0) {
                        throw bad(file, number, line, "expected NAME=VALUE");
                    }
                    env.put(value.substring(0, eq), value.substring(eq + 1));
                }
                case "file" -> {
                    String[] parts = value.split(" ", 2);
                    if (parts.length != 2) {
                        throw bad(file, number, line, "expected IMAGE_PATH REPO_GLOB");
                    }
                    files.put(parts[0], parts[1]);
                }
                case "generated" -> {
                    if (!value.startsWith("/") || value.contains(" ")) {
                        throw bad(file, number, line, "expected one absolute IMAGE_PATH");
                    }
                    if (generated.containsKey(value)) {
                        throw bad(file, number, line, "generated " + value + " given twice");
                    }
                    generating = value;
                    generated.put(value, new ArrayList<>());
                }
                case "generate" -> {
                    if (generating == null) {
                        throw bad(file, number, line, "generate before any generated IMAGE_PATH");
                    }
                    if (!SHELL_SAFE.matcher(value).matches()) {
                        throw bad(file, number, line, "a generate value holds characters a shell would interpret");
                    }
                    generated.get(generating).add(value);
                }
                case "user" -> user = value;
                case "workdir" -> workdir = value;
                case "expose" -> exposed.add(Integer.parseInt(value));
                case "healthcheck" -> healthcheck = value;
                case "stopsignal" -> stopSignal = value;
                default -> throw bad(file, number, line, "unknown keyword '" + keyword + "'");
            }
        }
        if (!formatSeen || args.isEmpty() || healthcheck == null || stopSignal == null) {
            throw new IOException(file + ": needs format, arg, healthcheck and stopsignal directives");
        }
        Map<String, List<String>> commands = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> g : generated.entrySet()) {
            if (g.getValue().isEmpty()) {
                throw new IOException(file + ": generated " + g.getKey() + " has no generate lines");
            }
            if (files.containsKey(g.getKey())) {
                throw new IOException(file + ": " + g.getKey() + " is both a file and generated");
            }
            commands.put(g.getKey(), List.copyOf(g.getValue()));
        }
        return new ImageEntrypoint(List.copyOf(args), Map.copyOf(env), Map.copyOf(files), Map.copyOf(commands),
                user, workdir, List.copyOf(exposed), healthcheck, stopSignal);
    }

    /** Whether a value names {@code imagePath}: equal to it, or an option's value ({@code -X=PATH}). */
    static boolean refersTo(String value, String imagePath) {
        return value.equals(imagePath) || value.endsWith("=" + imagePath);
    }

    /** The local file for an image path, from its {@code file} glob relative to {@code repoRoot}. */
    Path localFile(Path repoRoot, String imagePath) throws IOException {
        String glob = Objects.requireNonNull(files.get(imagePath), () -> "no file directive for " + imagePath);
        List<Path> matches = List.of(repoRoot);
        for (String segment : glob.split("/")) {
            Pattern pattern = Pattern.compile(Pattern.quote(segment).replace("*", "\\E[^/]*\\Q"));
            List<Path> next = new ArrayList<>();
            for (Path dir : matches) {
                if (!segment.contains("*")) {
                    if (Files.exists(dir.resolve(segment))) {
                        next.add(dir.resolve(segment));
                    }
                    continue;
                }
                if (Files.isDirectory(dir)) {
                    try (Stream<Path> children = Files.list(dir)) {
                        children.filter(p -> pattern.matcher(p.getFileName().toString()).matches()).forEach(next::add);
                    }
                }
            }
            matches = next;
        }
        if (matches.size() != 1) {
            throw new IOException("file " + imagePath + " " + glob + " matches " + matches.size()
                    + " files under " + repoRoot + " (need exactly one): " + matches);
        }
        return matches.get(0);
    }

    /**
     * A value naming an image path of a {@code file} or {@code generated} directive (equal to it,
     * or as an option's value) with that path replaced by the local file.
     */
    String substitute(String value, Map<String, Path> localFiles) {
        for (Map.Entry<String, Path> local : localFiles.entrySet()) {
            if (refersTo(value, local.getKey())) {
                return value.substring(0, value.length() - local.getKey().length()) + local.getValue();
            }
        }
        return value;
    }

    private static IOException bad(Path file, int number, String line, String why) {
        return new IOException(file + ":" + number + ": " + why + ": " + line);
    }
}

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
 * {@code docker/entrypoint-command.txt} read by its documented format (version 1): what the
 * image's runtime stage runs. Strict, so that a directive this reader does not understand fails
 * the test instead of being silently dropped from what it runs.
 */
record ImageEntrypoint(List<String> args, Map<String, String> env, Map<String, String> files, String user,
                       String workdir, List<Integer> exposed, String healthcheck, String stopSignal) {

    static ImageEntrypoint parse(Path file) throws IOException {
        List<String> args = new ArrayList<>();
        Map<String, String> env = new LinkedHashMap<>();
        Map<String, String> files = new LinkedHashMap<>();
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
                    if (!value.equals("1")) {
                        throw bad(file, number, line, "unknown format version (this reader knows 1)");
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
        return new ImageEntrypoint(List.copyOf(args), Map.copyOf(env), Map.copyOf(files), user, workdir,
                List.copyOf(exposed), healthcheck, stopSignal);
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

    /** Every value equal to an image path of a {@code file} directive, replaced by the local file. */
    String substitute(String value, Map<String, Path> localFiles) {
        Path local = localFiles.get(value);
        return local == null ? value : local.toString();
    }

    private static IOException bad(Path file, int number, String line, String why) {
        return new IOException(file + ":" + number + ": " + why + ": " + line);
    }
}

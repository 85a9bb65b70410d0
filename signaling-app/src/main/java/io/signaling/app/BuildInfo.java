package io.signaling.app;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * The version and commit this jar was built from, read from {@code build-info.properties}
 * (filtered by Maven at build time) and {@code git-commit.txt} (written at build time from the
 * checkout by {@code src/build/git-commit.sh}); an explicit {@code -Dgit.commit=...} wins.
 */
public record BuildInfo(String version, String commit) {

    private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{7,64}(-dirty)?");

    public static BuildInfo load() {
        Properties p = new Properties();
        try (InputStream in = BuildInfo.class.getResourceAsStream("/build-info.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            // A missing or unreadable resource only costs the version in logs and /debug/runtime.
        }
        String commit = clean(p.getProperty("commit"));
        if (commit.equals("unknown")) {
            commit = recordedCommit();
        }
        return new BuildInfo(clean(p.getProperty("version")), commit);
    }

    private static String recordedCommit() {
        try (InputStream in = BuildInfo.class.getResourceAsStream("/git-commit.txt")) {
            if (in != null) {
                String text = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
                if (COMMIT.matcher(text).matches()) {
                    return text;
                }
            }
        } catch (IOException e) {
            // As for build-info.properties: only the commit is lost.
        }
        return "unknown";
    }

    private static String clean(String value) {
        return value == null || value.isBlank() || value.startsWith("${") ? "unknown" : value.trim();
    }
}

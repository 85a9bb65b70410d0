package io.signaling.app;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/**
 * The version and commit this jar was built from, read from {@code build-info.properties}
 * (filtered by Maven at build time; the commit comes from {@code -Dgit.commit=...}).
 */
public record BuildInfo(String version, String commit) {

    public static BuildInfo load() {
        Properties p = new Properties();
        try (InputStream in = BuildInfo.class.getResourceAsStream("/build-info.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            // A missing or unreadable resource only costs the version in logs and /debug/runtime.
        }
        return new BuildInfo(clean(p.getProperty("version")), clean(p.getProperty("commit")));
    }

    private static String clean(String value) {
        return value == null || value.isBlank() || value.startsWith("${") ? "unknown" : value.trim();
    }
}

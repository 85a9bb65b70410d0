package io.signaling.app.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Objects;

/**
 * Identity of this process, as reported in logs, metrics and traces.
 *
 * @param name        {@code service.name}
 * @param instanceId  {@code service.instance-id}; empty means "use the host name"
 * @param environment {@code service.environment}, e.g. {@code local}, {@code staging}, {@code prod}
 */
public record ServiceConfig(String name, String instanceId, String environment) {

    public ServiceConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(instanceId, "instanceId");
        Objects.requireNonNull(environment, "environment");
    }

    /**
     * The configured instance id, or the host name when none is configured. Resolved lazily (it
     * may consult the OS) rather than at load time, so loading stays free of side effects.
     */
    public String instanceIdOrHostname() {
        if (!instanceId.isEmpty()) {
            return instanceId;
        }
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            // A container without a resolvable own name still deserves a stable-ish identifier.
            return Objects.requireNonNullElse(System.getenv("HOSTNAME"), "unknown");
        }
    }
}

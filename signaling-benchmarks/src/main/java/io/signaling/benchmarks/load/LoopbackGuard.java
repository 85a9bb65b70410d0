package io.signaling.benchmarks.load;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * Refuses targets outside the local host unless the user opted in with {@code --allow-remote}:
 * a load tool pointed at someone else's server by a typo is an attack.
 *
 * <p>Accepted without the flag: {@code localhost}, IPv4 literals in 127.0.0.0/8 and {@code ::1}.
 * Other host names are refused rather than resolved, since what they resolve to can change
 * between the check and the connection. Stateless and thread-safe.
 */
final class LoopbackGuard {

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private LoopbackGuard() {
    }

    static void check(URI uri, boolean allowRemote) throws UsageException {
        String host = uri.getHost();
        if (host == null || host.isEmpty()) {
            throw new UsageException("URL has no host: " + uri);
        }
        if (!allowRemote && !isLoopback(host)) {
            throw new UsageException("refusing non-loopback target '" + host
                    + "' (only 127.0.0.0/8, ::1 and localhost); pass --allow-remote to load a deployment you own");
        }
    }

    static boolean isLoopback(String host) {
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (h.equalsIgnoreCase("localhost")) {
            return true;
        }
        if (!IPV4.matcher(h).matches() && h.indexOf(':') < 0) {
            return false;
        }
        try {
            // A literal: getByName parses it without any lookup.
            return InetAddress.getByName(h).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}

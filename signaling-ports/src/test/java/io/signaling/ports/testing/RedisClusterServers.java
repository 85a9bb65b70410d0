package io.signaling.ports.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Redis Cluster of three masters, all child processes on free loopback ports:
 * {@code redis-server --cluster-enabled yes} ×3 joined by {@code redis-cli --cluster create}.
 * Stopped by the servers' PIDs. Skips (fails under CI) without redis-server or redis-cli.
 */
public final class RedisClusterServers implements AutoCloseable {

    private final List<RedisServer> masters = new ArrayList<>();

    private RedisClusterServers() {
    }

    public static RedisClusterServers start() throws IOException, InterruptedException {
        String cli = RequiredPrograms.require("redis-cli", "apt-get install redis-tools").toString();
        RedisClusterServers cluster = new RedisClusterServers();
        try {
            List<String> create = new ArrayList<>(List.of(cli, "--cluster", "create"));
            for (int i = 0; i < 3; i++) {
                RedisServer master = RedisServer.start("--cluster-enabled", "yes", "--cluster-node-timeout", "5000");
                cluster.masters.add(master);
                create.add("127.0.0.1:" + master.port());
            }
            create.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
            Process process = new ProcessBuilder(create).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IOException("redis-cli --cluster create failed:\n" + output);
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            for (RedisServer master : cluster.masters) {
                while (!master.command("CLUSTER", "INFO").contains("cluster_state:ok")) {
                    if (System.nanoTime() > deadline) {
                        throw new IOException("cluster state not ok on " + master.port());
                    }
                    Thread.sleep(100);
                }
            }
            return cluster;
        } catch (IOException | InterruptedException | RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    public List<RedisServer> masters() {
        return List.copyOf(masters);
    }

    /** The seed list a client is given: two of the three masters, comma-separated. */
    public String seeds() {
        return "redis://127.0.0.1:" + masters.get(0).port() + ",redis://127.0.0.1:" + masters.get(1).port();
    }

    /** {@code FLUSHALL} on every master. */
    public void flushAll() throws IOException {
        for (RedisServer master : masters) {
            master.command("FLUSHALL");
        }
    }

    @Override
    public void close() throws InterruptedException {
        for (RedisServer master : masters) {
            master.close();
        }
    }
}

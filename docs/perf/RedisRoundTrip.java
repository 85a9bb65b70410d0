// The floor under a cross-node relay on this machine: Lettuce and Redis alone, without a node.
//
//   java -cp signaling-app/target/signaling-app-*-all.jar docs/perf/RedisRoundTrip.java <redis port> [rounds]
//
// Prints the p50/p90/p99 of a PING, of an EVAL that appends to a stream (as the inbox batcher's
// script does; back to back, then one per millisecond), and of "append, then the XREAD BLOCK
// waiting on another connection returns" (what an envelope costs between two nodes, minus the
// nodes), and the same append with a PUBLISH in its script received by a subscriber on a client
// with an event loop of its own (the push path of docs/perf/cluster-push-experiment-2026-12-08.diff).
// Same client options as the node's RedisConnections (bounded queue, reject while
// disconnected, fixed command timeout). Uses a key of its own (probe:<nanos>, deleted at the end)
// on whatever Redis the port names.
import io.lettuce.core.ClientOptions;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

public class RedisRoundTrip {

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 2_000;
        // The app jar's Logback starts at DEBUG without the app's own set-up: Lettuce would log every command.
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
                .setLevel(ch.qos.logback.classic.Level.WARN);
        RedisClient client = RedisClient.create("redis://127.0.0.1:" + args[0]);
        client.setOptions(ClientOptions.builder().autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS).requestQueueSize(10_000)
                .socketOptions(SocketOptions.builder().connectTimeout(Duration.ofSeconds(10)).keepAlive(true).build())
                .timeoutOptions(TimeoutOptions.builder().fixedTimeout(Duration.ofSeconds(2)).build()).build());
        StatefulRedisConnection<String, String> writer = client.connect();
        StatefulRedisConnection<String, String> reader = client.connect();
        RedisAsyncCommands<String, String> w = writer.async();
        RedisAsyncCommands<String, String> r = reader.async();
        String key = "probe:" + System.nanoTime();
        String script = "redis.call('XADD', KEYS[1], 'MAXLEN', '~', '1000', '*', 'x', ARGV[1]) return 1";
        long[] ping = new long[rounds];
        long[] eval = new long[rounds];
        long[] wake = new long[rounds];
        for (int i = 0; i < rounds; i++) {
            long t = System.nanoTime();
            w.ping().get();
            ping[i] = System.nanoTime() - t;
        }
        for (int i = 0; i < rounds; i++) {
            long t = System.nanoTime();
            w.eval(script, ScriptOutputType.INTEGER, new String[] {key}, "v").get();
            eval[i] = System.nanoTime() - t;
        }
        // One command per millisecond, as a relay stream arrives: the client's threads sleep between them.
        long[] paced = new long[rounds];
        for (int i = 0; i < rounds; i++) {
            Thread.sleep(1);
            long t = System.nanoTime();
            w.eval(script, ScriptOutputType.INTEGER, new String[] {key}, "v").get();
            paced[i] = System.nanoTime() - t;
        }
        String last = r.xrevrange(key, Range.unbounded(), Limit.from(1)).get().get(0).getId();
        for (int i = 0; i < rounds; i++) {
            RedisFuture<List<StreamMessage<String, String>>> read =
                    r.xread(XReadArgs.Builder.block(1_000).count(512), XReadArgs.StreamOffset.from(key, last));
            // Lets the read reach Redis and block there first, as a node's reader waits between envelopes.
            Thread.sleep(1);
            long t = System.nanoTime();
            w.eval(script, ScriptOutputType.INTEGER, new String[] {key}, "v");
            List<StreamMessage<String, String>> got = read.get();
            wake[i] = System.nanoTime() - t;
            last = got.get(got.size() - 1).getId();
        }
        ClientResources own = DefaultClientResources.builder().ioThreadPoolSize(1).computationThreadPoolSize(1).build();
        RedisClient pushClient = RedisClient.create(own, "redis://127.0.0.1:" + args[0]);
        StatefulRedisPubSubConnection<String, String> subscriber = pushClient.connectPubSub();
        AtomicReference<CompletableFuture<Long>> pushed = new AtomicReference<>();
        subscriber.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String channel, String message) {
                pushed.get().complete(System.nanoTime());
            }
        });
        subscriber.sync().subscribe(key);
        String publishing = "local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', '1000', '*', 'x', ARGV[1]) "
                + "redis.call('PUBLISH', KEYS[1], id .. ' ' .. ARGV[1]) return 1";
        long[] push = new long[rounds];
        for (int i = 0; i < rounds; i++) {
            CompletableFuture<Long> received = new CompletableFuture<>();
            pushed.set(received);
            Thread.sleep(1);
            long t = System.nanoTime();
            w.eval(publishing, ScriptOutputType.INTEGER, new String[] {key}, "v");
            push[i] = received.get() - t;
        }
        subscriber.close();
        pushClient.shutdown();
        own.shutdown();
        print("PING round trip", ping);
        print("EVAL (XADD) round trip", eval);
        print("EVAL, one per millisecond", paced);
        print("EVAL sent -> XREAD BLOCK returns", wake);
        print("EVAL sent -> PUBLISH received", push);
        w.del(key).get();
        writer.close();
        reader.close();
        client.shutdown();
    }

    private static void print(String what, long[] nanos) {
        long[] s = nanos.clone();
        Arrays.sort(s);
        System.out.printf("%-34s p50 %.3f ms  p90 %.3f ms  p99 %.3f ms  (n=%d)%n", what,
                s[s.length / 2] / 1e6, s[s.length * 9 / 10] / 1e6, s[s.length * 99 / 100] / 1e6, s.length);
    }
}

package io.signaling.ports.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link NodeLease} meets. {@link #newLease(Duration)} may be called several
 * times per test and returns clients of one and the same store. Leases here live a few hundred
 * milliseconds; the tests wait for expiry with deadlines, never assert a duration.
 */
public abstract class NodeLeaseContract {

    private static final Duration SHORT = Duration.ofMillis(400);
    private static final Duration LONG = Duration.ofSeconds(30);

    private ExecutorService pool;

    /** A client of the test's store whose leases live {@code ttl}. */
    protected abstract NodeLease newLease(Duration ttl);

    /** Makes the store lose every key, as a restart without persistence or a flush would. */
    protected abstract void wipeStore();

    @AfterEach
    void tearDownPool() throws InterruptedException {
        if (pool != null) {
            pool.shutdownNow();
            assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void aRenewedLeaseStaysAndAnUnrenewedOneExpires() {
        NodeLease alive = newLease(SHORT);
        NodeLease dying = newLease(SHORT);
        NodeId a = NodeId.of("alive");
        NodeId d = NodeId.of("dying");
        alive.acquire(a);
        dying.acquire(d);
        assertThat(alive.renew(a)).isEqualTo(NodeLease.Renewal.RENEWED);
        assertThat(alive.expired(a)).isEmpty();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> {
            assertThat(alive.renew(a)).isEqualTo(NodeLease.Renewal.RENEWED);
            return alive.expired(a).contains(d);
        });
        assertThat(alive.expired(a)).containsExactly(d);
        assertThat(dying.renew(d)).as("a node that lost its lease fences itself").isEqualTo(NodeLease.Renewal.LOST);
        alive.forget(d);
        assertThat(alive.expired(a)).isEmpty();
    }

    @Test
    void aNodeIsAliveWhileItHoldsItsLease() {
        NodeLease lease = newLease(SHORT);
        NodeId a = NodeId.of("alive-a");
        NodeId b = NodeId.of("alive-b");
        assertThat(lease.alive(a)).as("never registered").isFalse();
        lease.acquire(a);
        newLease(SHORT).acquire(b);
        assertThat(newLease(SHORT).alive(a)).isTrue();
        newLease(SHORT).release(b);
        assertThat(lease.alive(b)).as("released").isFalse();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> !lease.alive(a));
        assertThat(lease.renew(a)).as("expired").isEqualTo(NodeLease.Renewal.LOST);
    }

    @Test
    void anOrderlyReleaseIsNotADeath() {
        NodeLease lease = newLease(LONG);
        NodeId a = NodeId.of("a");
        NodeId b = NodeId.of("b");
        lease.acquire(a);
        newLease(LONG).acquire(b);
        newLease(LONG).release(b);
        assertThat(lease.expired(a)).isEmpty();
        assertThat(lease.renew(a)).isEqualTo(NodeLease.Renewal.RENEWED);
        assertThat(lease.ttl()).isEqualTo(LONG);
    }

    @Test
    void exactlyOneSurvivorClaimsADeadNodesCleanup() throws Exception {
        NodeId dead = NodeId.of("dead");
        newLease(SHORT).acquire(dead);
        int survivors = 4;
        pool = Executors.newFixedThreadPool(survivors);
        CountDownLatch go = new CountDownLatch(1);
        AtomicInteger winners = new AtomicInteger();
        List<Future<?>> futures = new ArrayList<>();
        for (int i = 0; i < survivors; i++) {
            NodeLease client = newLease(LONG);
            NodeId self = NodeId.of("s" + i);
            client.acquire(self);
            futures.add(pool.submit(() -> {
                go.await();
                await().atMost(Duration.ofSeconds(30)).until(() -> client.expired(self).contains(dead));
                if (client.claimCleanup(self, dead)) {
                    winners.incrementAndGet();
                }
                return null;
            }));
        }
        go.countDown();
        for (Future<?> f : futures) {
            f.get(60, TimeUnit.SECONDS);
        }
        assertThat(winners.get()).isEqualTo(1);
    }

    @Test
    void anExpiredClaimLetsAnotherSurvivorTakeOver() {
        NodeId dead = NodeId.of("dead");
        NodeLease shortClaims = newLease(SHORT);
        shortClaims.acquire(NodeId.of("first"));
        assertThat(shortClaims.claimCleanup(NodeId.of("first"), dead)).isTrue();
        assertThat(shortClaims.claimCleanup(NodeId.of("second"), dead)).isFalse();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                .until(() -> shortClaims.claimCleanup(NodeId.of("second"), dead));
    }

    @Test
    void aWipedStoreIsReportedOnceAndTheLeaseTakenAgain() {
        NodeLease lease = newLease(LONG);
        NodeId a = NodeId.of("a");
        lease.acquire(a);
        wipeStore();
        assertThat(lease.renew(a)).isEqualTo(NodeLease.Renewal.STORE_RESET);
        assertThat(lease.renew(a)).isEqualTo(NodeLease.Renewal.RENEWED);
        assertThat(newLease(LONG).expired(NodeId.of("other"))).isEmpty();
    }
}

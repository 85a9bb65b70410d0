package io.signaling.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.signaling.domain.health.CheckResult;
import io.signaling.domain.health.HealthReport;
import io.signaling.domain.lifecycle.LifecycleState;
import io.signaling.ports.health.HealthCheck;
import io.signaling.ports.lifecycle.Lifecycle;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * One lifecycle and one health service for everything a host hands over: its listeners start
 * before signaling and stop after it, its components the other way round, and its checks count
 * in signaling's readiness. The server jar relies on exactly this (SignalingNode).
 */
class EmbeddedLifecycleTest {

    private final List<String> events = new CopyOnWriteArrayList<>();

    private Lifecycle recording(String name, EmbeddedSignaling[] signaling) {
        return new Lifecycle() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public void start() {
                // Readiness turns UP only once everything, components included, has started.
                events.add("start " + name + (signaling[0].isReady() ? " (ready)" : ""));
            }

            @Override
            public boolean stop(Duration timeout) {
                events.add("stop " + name);
                return true;
            }
        };
    }

    @Test
    void listenersWrapSignalingAndComponentsRunInsideItInOneLifecycle() throws Exception {
        EmbeddedSignaling[] ref = new EmbeddedSignaling[1];
        EmbeddedSignaling signaling = EmbeddedSignaling.builder()
                .component(recording("component", ref))
                .build();
        ref[0] = signaling;
        signaling.listener(recording("admin", ref)).listener(recording("public", ref));

        signaling.start();
        assertThat(signaling.state()).isEqualTo(LifecycleState.READY);
        assertThat(signaling.stop(Duration.ofSeconds(5))).isTrue();

        assertThat(events).containsExactly(
                "start admin",
                "start public",
                "start component",
                "stop component",
                "stop public",
                "stop admin");
        assertThat(signaling.state()).isEqualTo(LifecycleState.STOPPED);
    }

    @Test
    void aListenerAfterStartIsRefused() throws Exception {
        EmbeddedSignaling signaling = EmbeddedSignaling.builder().build();
        signaling.start();
        try {
            assertThatThrownBy(() -> signaling.listener(recording("late", new EmbeddedSignaling[1])))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("after start()");
        } finally {
            signaling.stop(Duration.ofSeconds(5));
        }
    }

    @Test
    void theHostsChecksCountInSignalingsReadiness() throws Exception {
        HealthCheck down = new HealthCheck() {
            @Override
            public String name() {
                return "database";
            }

            @Override
            public CheckResult check() {
                return CheckResult.down("database", "unreachable");
            }
        };
        EmbeddedSignaling signaling = EmbeddedSignaling.builder().healthCheck(down).build();
        signaling.start();
        try {
            HealthReport readiness = signaling.health().readiness();

            assertThat(readiness.isUp()).isFalse();
            assertThat(readiness.checks()).extracting(CheckResult::name).contains("database");
            assertThat(signaling.isReady()).isFalse();
        } finally {
            signaling.stop(Duration.ofSeconds(5));
        }
    }
}

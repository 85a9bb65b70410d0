package io.signaling.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import java.lang.reflect.Modifier;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The module's public surface is the one factory; adapters stay package-private and final. */
class ObservabilityApiTest {

    private static final List<Class<?>> ADAPTERS = List.of(Slf4jLogger.class, Slf4jLoggerFactory.class,
            MicrometerMetrics.class, OtelTracer.class, OtelSpanBuilder.class, OtelSpan.class, OtelTraceContext.class);

    @Test
    void adaptersArePackagePrivateAndFinal() {
        for (Class<?> adapter : ADAPTERS) {
            assertThat(Modifier.isPublic(adapter.getModifiers())).as("%s is public", adapter.getSimpleName()).isFalse();
            assertThat(Modifier.isFinal(adapter.getModifiers())).as("%s is final", adapter.getSimpleName()).isTrue();
        }
        assertThat(Modifier.isFinal(Observability.class.getModifiers())).isTrue();
        assertThat(Observability.class.getDeclaredConstructors())
                .allSatisfy(c -> assertThat(Modifier.isPrivate(c.getModifiers())).isTrue());
    }

    @Test
    void factoriesRejectMissingCollaboratorsByName() {
        assertThatThrownBy(() -> Observability.slf4jLoggerFactory(null)).hasMessage("slf4j");
        assertThatThrownBy(() -> Observability.micrometerMetrics(null)).hasMessage("registry");
        assertThatThrownBy(() -> Observability.micrometerMetrics(new SimpleMeterRegistry(), null)).hasMessage("warnings");
        assertThatThrownBy(() -> Observability.otelTracer(null)).hasMessage("openTelemetry");
        assertThatThrownBy(() -> Observability.otelTracer(OpenTelemetry.noop(), null, null))
                .hasMessage("instrumentationName");
    }
}

package io.signaling.observability;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.OpenTelemetry;
import io.signaling.ports.trace.Scope;
import io.signaling.ports.trace.Span;
import io.signaling.ports.trace.Tracer;
import io.signaling.ports.trace.TracerContract;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/** On {@code OpenTelemetry.noop()} the adapter records nothing and keeps every rule of the contract. */
@SuppressWarnings("try") // scopes are opened for their side effect on the current context
class OtelTracerNoopTest extends TracerContract {

    private final Tracer tracer = Observability.otelTracer(OpenTelemetry.noop());

    @Override
    protected Tracer tracer() {
        return tracer;
    }

    @Test
    void spansAreInvalidAndLeaveNoIdsInTheMdc() {
        Span span = tracer.spanBuilder("noop").start();
        assertThat(span.isRecording()).isFalse();
        assertThat(span.context().isValid()).isFalse();
        try (Scope ignored = span.makeCurrent()) {
            assertThat(MDC.get(Observability.MDC_TRACE_ID)).isNull();
            assertThat(tracer.current().isValid()).isFalse();
        }
        span.end();
    }
}

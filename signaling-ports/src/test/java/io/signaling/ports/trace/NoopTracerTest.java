package io.signaling.ports.trace;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The port's own no-op tracer keeps every rule of the contract; it exports nothing to read back. */
class NoopTracerTest extends TracerContract {

    @Override
    protected Tracer tracer() {
        return Tracer.noop();
    }

    @Test
    void everySpanIsInvalidAndNotRecording() {
        Span span = Tracer.noop().spanBuilder("x").start();
        assertThat(span.isRecording()).isFalse();
        assertThat(span.context().isValid()).isFalse();
        assertThat(Tracer.noop().current()).isSameAs(TraceContext.invalid());
    }
}

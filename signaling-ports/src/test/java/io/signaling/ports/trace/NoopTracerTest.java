package io.signaling.ports.trace;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The port's own no-op tracer passes the parts of the contract that apply to it. */
class NoopTracerTest extends TracerContract {

    @Override
    protected Tracer tracer() {
        return Tracer.noop();
    }

    @Override
    protected List<FinishedSpan> finishedSpans() {
        return List.of();
    }

    @Override
    protected boolean records() {
        return false;
    }

    @Test
    void everySpanIsInvalidAndNotRecording() {
        Span span = Tracer.noop().spanBuilder("x").start();
        assertThat(span.isRecording()).isFalse();
        assertThat(span.context().isValid()).isFalse();
        assertThat(Tracer.noop().current()).isSameAs(TraceContext.invalid());
    }
}

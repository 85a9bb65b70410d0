package io.signaling.observability;

import io.signaling.ports.trace.Tracer;
import io.signaling.ports.trace.RecordingTracerContract;
import java.util.List;
import org.junit.jupiter.api.AfterEach;

/** The OpenTelemetry adapter, on the real SDK with an in-memory exporter, passes the tracer contract. */
class OtelTracerContractTest extends RecordingTracerContract {

    private final OtelSdk otel = new OtelSdk();
    private final Tracer tracer = Observability.otelTracer(otel.sdk, "contract-test", "1.0");

    @AfterEach
    void shutDownSdk() {
        otel.close();
    }

    @Override
    protected Tracer tracer() {
        return tracer;
    }

    @Override
    protected List<FinishedSpan> finishedSpans() {
        return otel.finishedSpans();
    }
}

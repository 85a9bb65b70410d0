package io.signaling.application.signaling;

import static org.assertj.core.api.Assertions.assertThat;

import io.signaling.domain.signaling.PeerId;
import io.signaling.ports.signaling.SignalingSettings;
import io.signaling.ports.signaling.TestMessageCodec;
import io.signaling.ports.testing.RecordingLogger;
import io.signaling.ports.testing.RecordingTracer;
import io.signaling.ports.testing.RecordingTracer.RecordedSpan;
import io.signaling.ports.trace.SpanStatus;
import io.signaling.ports.websocket.CloseCodes;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SignalingServiceTelemetryTest {

    private final FakeHub hub = new FakeHub();
    private final RecordingTracer tracer = new RecordingTracer();
    private final RecordingLogger loggers = new RecordingLogger();
    private final AtomicInteger ids = new AtomicInteger();
    private final SignalingService service = SignalingService.builder(new TestMessageCodec())
            .settings(SignalingSettings.defaults())
            .peerIds(() -> PeerId.of("peer" + ids.incrementAndGet()))
            .tracer(tracer)
            .loggers(loggers)
            .build();

    private FakeConnection open() {
        FakeConnection connection = hub.open("c" + ids.get());
        service.onOpen(connection);
        return connection;
    }

    @Test
    void spansPerMessageTypeWithTheRelayKindAndErrors() {
        FakeConnection a = open();
        FakeConnection b = open();
        service.onText(a, "{\"type\":\"join\",\"room\":\"r\"}");
        service.onText(b, "{\"type\":\"join\",\"room\":\"r\"}");
        service.onText(a, "{\"type\":\"offer\",\"to\":\"peer2\",\"payload\":{}}");
        service.onText(a, "{\"type\":\"candidate\",\"to\":\"ghost\",\"payload\":{}}");
        service.onText(a, "{\"type\":\"leave\"}");
        service.onClose(b, CloseCodes.ABNORMAL, "");

        assertThat(tracer.ended()).extracting(RecordedSpan::name).containsExactly("signaling.join",
                "signaling.join", "signaling.relay", "signaling.relay", "signaling.leave", "signaling.disconnect");
        RecordedSpan offer = tracer.ended().get(2);
        assertThat(offer.attributes()).containsEntry("signaling.type", "offer");
        assertThat(offer.status()).isEqualTo(SpanStatus.UNSET);
        RecordedSpan failed = tracer.ended().get(3);
        assertThat(failed.attributes()).containsEntry("signaling.type", "candidate")
                .containsEntry("signaling.error.code", "peer-not-found");
        assertThat(failed.status()).isEqualTo(SpanStatus.ERROR);
        assertThat(tracer.ended().get(5).attributes()).containsEntry("signaling.reason", "disconnect");
    }

    @Test
    void messagesOfAConnectionTheTransportDoesNotTraceGetNoSpanButStillWork() {
        FakeConnection a = open().untraced();
        FakeConnection b = open();
        service.onText(a, "{\"type\":\"join\",\"room\":\"r\"}");
        service.onText(b, "{\"type\":\"join\",\"room\":\"r\"}");
        service.onText(a, "{\"type\":\"offer\",\"to\":\"peer2\",\"payload\":{}}");
        service.onText(a, "{\"type\":\"ping\"}");

        assertThat(tracer.ended()).extracting(RecordedSpan::name).as("only the traced connection's join")
                .containsExactly("signaling.join");
        assertThat(b.sent()).anySatisfy(text -> assertThat(text).contains("\"type\":\"offer\"").contains("\"from\":\"peer1\""));
        assertThat(a.sent()).anySatisfy(text -> assertThat(text).contains("\"type\":\"pong\""));
    }

    @Test
    void logsCarryPeerIdAndRoomOnceJoined() {
        FakeConnection a = open();
        service.onText(a, "{\"type\":\"join\",\"room\":\"lobby\"}");
        service.onText(a, "{\"type\":\"join\",\"room\":\"other\"}");

        assertThat(loggers.events()).filteredOn(e -> e.message().equals("peer connected")).singleElement()
                .satisfies(e -> assertThat(e.keyValues()).containsEntry("peer_id", "peer1").doesNotContainKey("room"));
        assertThat(loggers.events()).filteredOn(e -> e.message().equals("message refused")).singleElement()
                .satisfies(e -> assertThat(e.keyValues()).containsEntry("peer_id", "peer1").containsEntry("room", "lobby")
                        .containsEntry("code", "already-in-room"));
    }
}

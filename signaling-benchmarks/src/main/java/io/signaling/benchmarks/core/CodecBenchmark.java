package io.signaling.benchmarks.core;

import io.signaling.adapter.jackson.JacksonCodecs;
import io.signaling.domain.signaling.LeaveReason;
import io.signaling.domain.signaling.PeerId;
import io.signaling.domain.signaling.RelayKind;
import io.signaling.domain.signaling.RoomId;
import io.signaling.domain.signaling.ServerMessage;
import io.signaling.ports.signaling.Decoded;
import io.signaling.ports.signaling.MessageCodec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Question: what does decoding each client message and encoding each server message cost with
 * the Jackson streaming codec, including an offer carrying a realistic ~2.5 KB SDP and the load
 * tool's 200-byte relay ({@code offer-small}, {@code relayed-small})? {@code encodeNumbered} is a
 * v1.1 recipient's copy: the encoding plus {@code seq}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CodecBenchmark {

    static final String SDP = sdp();

    static final String OFFER_PAYLOAD = "{\"type\":\"offer\",\"sdp\":\"" + SDP + "\"}";

    /** The load tool's relay payload at {@code --payload-bytes 200}. */
    static final String SMALL_PAYLOAD = "{\"seq\":1234,\"ts\":987654321012345,\"pad\":\"" + "x".repeat(90) + "\"}";

    /** One client frame to decode. */
    @State(Scope.Thread)
    public static class Decoding {
        @Param({"join", "leave", "offer", "offer-small", "answer", "candidate", "ping", "bad-message"})
        public String clientMessage;

        MessageCodec codec;
        String frame;

        @Setup(Level.Trial)
        public void setUp() {
            codec = JacksonCodecs.messageCodec();
            frame = frame(clientMessage);
            // Fail at set-up, not silently in the numbers, if a frame does not decode as intended.
            Decoded decoded = codec.decode(frame);
            if ((decoded instanceof Decoded.Invalid) != "bad-message".equals(clientMessage)) {
                throw new IllegalStateException("unexpected decode result for " + clientMessage + ": " + decoded);
            }
        }
    }

    /** One server message to encode. */
    @State(Scope.Thread)
    public static class Encoding {
        @Param({"welcome", "joined", "peer-joined", "peer-left", "relayed-offer", "relayed-small", "error"})
        public String serverMessage;

        MessageCodec codec;
        ServerMessage message;

        @Setup(Level.Trial)
        public void setUp() {
            codec = JacksonCodecs.messageCodec();
            message = message(serverMessage);
        }
    }

    static String frame(String clientMessage) {
        String offerPayload = OFFER_PAYLOAD;
        return switch (clientMessage) {
            case "join" -> "{\"type\":\"join\",\"room\":\"lobby-42\",\"id\":\"7\"}";
            case "leave" -> "{\"type\":\"leave\"}";
            case "offer" -> "{\"type\":\"offer\",\"to\":\"Qm9vdHN0cmFwUGVlcklk\",\"payload\":" + offerPayload + "}";
            case "offer-small" -> "{\"type\":\"offer\",\"to\":\"Qm9vdHN0cmFwUGVlcklk\",\"payload\":" + SMALL_PAYLOAD + "}";
            case "answer" -> "{\"type\":\"answer\",\"to\":\"Qm9vdHN0cmFwUGVlcklk\",\"payload\":"
                    + offerPayload.replace("\"offer\"", "\"answer\"") + "}";
            case "candidate" -> "{\"type\":\"candidate\",\"to\":\"Qm9vdHN0cmFwUGVlcklk\",\"payload\":"
                    + "{\"candidate\":\"candidate:842163049 1 udp 1677729535 192.0.2.10 51340 typ srflx raddr 0.0.0.0 rport 0"
                    + " generation 0 ufrag EsAw network-cost 999\",\"sdpMid\":\"0\",\"sdpMLineIndex\":0,"
                    + "\"usernameFragment\":\"EsAw\"}}";
            case "ping" -> "{\"type\":\"ping\",\"id\":\"p-1\"}";
            case "bad-message" -> "{\"type\":\"offer\",\"to\":5,\"payload\":{}}";
            default -> throw new IllegalArgumentException(clientMessage);
        };
    }

    static ServerMessage message(String serverMessage) {
        String offerPayload = OFFER_PAYLOAD;
        PeerId a = new PeerId("Qm9vdHN0cmFwUGVlcklk");
        PeerId b = new PeerId("T3RoZXJQZWVySWRlbnQ");
        RoomId room = new RoomId("lobby-42");
        return switch (serverMessage) {
            case "welcome" -> new ServerMessage.Welcome(a,
                    new ServerMessage.Limits(65536, 16, 50, 100, 20_000, 60_000));
            case "joined" -> new ServerMessage.Joined("7", room, a, List.of(b, new PeerId("VGhpcmRQZWVy")), false);
            case "peer-joined" -> new ServerMessage.PeerJoined(room, b, true);
            case "peer-left" -> new ServerMessage.PeerLeft(room, b, LeaveReason.DISCONNECT);
            case "relayed-offer" -> new ServerMessage.Relayed(RelayKind.OFFER, a, b, offerPayload);
            case "relayed-small" -> new ServerMessage.Relayed(RelayKind.OFFER, a, b, SMALL_PAYLOAD);
            case "error" -> new ServerMessage.Error(io.signaling.domain.signaling.ErrorCode.PEER_NOT_FOUND,
                    "no peer T3RoZXJQZWVySWRlbnQ in room lobby-42", "7", null);
            default -> throw new IllegalArgumentException(serverMessage);
        };
    }

    @Benchmark
    public Decoded decode(Decoding state) {
        return state.codec.decode(state.frame);
    }

    @Benchmark
    public String encode(Encoding state) {
        return state.codec.encode(state.message);
    }

    @Benchmark
    public String encodeNumbered(Encoding state) {
        return state.codec.sequenced(state.codec.encode(state.message), 4242);
    }

    private static String sdp() {
        StringBuilder sb = new StringBuilder();
        sb.append("v=0\\r\\no=- 4611731400430051336 2 IN IP4 127.0.0.1\\r\\ns=-\\r\\nt=0 0\\r\\n")
                .append("a=group:BUNDLE 0 1 2\\r\\na=extmap-allow-mixed\\r\\na=msid-semantic: WMS stream\\r\\n");
        for (String media : new String[] {"audio 9 UDP/TLS/RTP/SAVPF 111 63 9 0 8 13 110 126",
                "video 9 UDP/TLS/RTP/SAVPF 96 97 98 99 100 101 127 121 125 107 108 109 124 120 123 119 114 115 116"}) {
            sb.append("m=").append(media).append("\\r\\nc=IN IP4 0.0.0.0\\r\\na=rtcp:9 IN IP4 0.0.0.0\\r\\n")
                    .append("a=ice-ufrag:EsAw\\r\\na=ice-pwd:bP+XJMM09aR8AiX1jdukzR6Y\\r\\na=ice-options:trickle\\r\\n")
                    .append("a=fingerprint:sha-256 0F:74:31:25:CB:A2:13:EC:28:6F:6D:2C:61:FF:5D:C2:BC:B9:DB:3D:98:14:8D:1A:BB:EA:33:0C:A4:60:A8:8E\\r\\n")
                    .append("a=setup:actpass\\r\\na=mid:0\\r\\na=sendrecv\\r\\na=rtcp-mux\\r\\n");
            for (int pt = 96; pt < 112; pt++) {
                sb.append("a=rtpmap:").append(pt).append(" VP8/90000\\r\\na=rtcp-fb:").append(pt)
                        .append(" nack pli\\r\\n");
            }
        }
        sb.append("m=application 9 UDP/DTLS/SCTP webrtc-datachannel\\r\\na=sctp-port:5000\\r\\n");
        return sb.toString();
    }
}

package io.signaling.adapter.jackson;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import io.signaling.domain.signaling.ClientMessage;
import io.signaling.domain.signaling.ErrorCode;
import io.signaling.domain.signaling.IceServer;
import io.signaling.domain.signaling.PeerId;
import io.signaling.domain.signaling.RelayKind;
import io.signaling.domain.signaling.RoomId;
import io.signaling.domain.signaling.ServerMessage;
import io.signaling.ports.signaling.Decoded;
import io.signaling.ports.signaling.MessageCodec;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * {@link MessageCodec} on Jackson's streaming parser and generator.
 *
 * <p>Decoding reads the envelope in one pass, in any member order, remembering only the members
 * the contract names; every other member is skipped without being materialized. The
 * {@code payload} is never parsed into values: its start and end char offsets are noted and the
 * exact input text between them is handed over, so a relay forwards the sender's bytes
 * unchanged (whitespace, escapes and number spelling included).
 *
 * <p>Duplicate members: a member the message type uses ({@code type}, {@code id}, and {@code room},
 * {@code to} or {@code payload} for the types that have them) that appears twice is
 * {@code bad-message}. Parsers disagree on which duplicate wins, so accepting them would let a
 * sender show one target or payload to a filter in front of the server and another to the server.
 * Duplicates of members the type ignores are ignored with them.
 *
 * <p>The {@code id} is echoed in a decode error whenever a single string {@code id} was read before
 * the error, even if the frame turns out to be broken JSON later on, so that a client can match
 * the error to its request.
 *
 * <p>Two paths, one result: a frame is first read by {@link EnvelopeScanner}, which validates the
 * whole frame as strict JSON but reads only what routing needs (the named members, the payload's
 * offsets); whatever it is not sure of (an escape in a name or routing value, a duplicate, a
 * non-string where a string belongs, a syntax error, a limit approached) goes to the Jackson
 * parser, which decides and words the error exactly as before. Relays are encoded without the
 * generator, the payload copied raw into one string of the exact size.
 */
final class JacksonMessageCodec implements MessageCodec {

    private static final int MAX_ECHOED_TYPE = 64;
    /** The largest client {@code seq}: 2^53 - 1, the largest integer every JSON reader keeps exactly. */
    private static final long MAX_SEQ = (1L << 53) - 1;
    /** Jackson names the Java setting that was exceeded; clients need only the numbers. */
    private static final Pattern CONSTRAINT_SOURCE = Pattern.compile(", from `[^`]*`");
    private static final Pattern SOURCE_PREFIX = Pattern.compile("Source: [^;\\]]*; ");

    /** A relay's text up to the sender's id, per {@link RelayKind} by ordinal. */
    private static final String[] RELAY_PREFIX = relayPrefixes();
    private static final String RELAY_TO = "\",\"to\":\"";
    private static final String RELAY_PAYLOAD = "\",\"payload\":";
    private static final String SEQ_MEMBER = ",\"seq\":";
    /** The peer id a welcome template is rendered with, then cut out. */
    private static final PeerId TEMPLATE_PEER = PeerId.of("p");
    /** Numbered texts longer than this are built in a builder of their own rather than the thread's. */
    private static final int MAX_KEPT_BUILDER_CHARS = 16 * 1024;

    private final JsonFactory factory;
    private final EnvelopeScanner scanner;
    private final int maxNestingDepth;
    private final int maxPayloadDepth;
    private final int maxMessageChars;
    /**
     * The plain welcome (no resume fields, identity or ICE servers: every v1 connection without
     * TURN or tokens) of the last limits seen, split around the peer id; racy by design, each value
     * is immutable and a lost update only renders it again.
     */
    private WelcomeTemplate welcomeTemplate;
    /** Per thread: {@link #sequenced} copies into it and allocates only the result. */
    private final ThreadLocal<StringBuilder> numbering = ThreadLocal.withInitial(() -> new StringBuilder(512));

    JacksonMessageCodec(JsonFactory factory, int maxNestingDepth, int maxPayloadDepth, int maxMessageChars,
                        int maxNumberLength) {
        this.factory = Objects.requireNonNull(factory, "factory");
        this.maxNestingDepth = maxNestingDepth;
        this.maxPayloadDepth = maxPayloadDepth;
        this.maxMessageChars = maxMessageChars;
        this.scanner = new EnvelopeScanner(maxNestingDepth, maxNumberLength, JacksonCodecs.MAX_NAME_LENGTH);
    }

    private static String[] relayPrefixes() {
        RelayKind[] kinds = RelayKind.values();
        String[] prefixes = new String[kinds.length];
        for (RelayKind kind : kinds) {
            prefixes[kind.ordinal()] = "{\"type\":\"" + kind.wire() + "\",\"from\":\"";
        }
        return prefixes;
    }

    // ------------------------------------------------------------------ decoding

    @Override
    public Decoded decode(String text) {
        Objects.requireNonNull(text, "text");
        // Checked here, not by the parser: its document limit only counts input it has to load,
        // and a String is loaded whole up front.
        if (text.length() > maxMessageChars) {
            return bad("message is " + text.length() + " characters long; at most " + maxMessageChars + " are allowed", null);
        }
        Envelope envelope = new Envelope();
        if (scanner.scan(text, envelope)) {
            return envelope.toDecoded(text);
        }
        // What the scanner read so far is forgotten: the parser reads the frame afresh.
        envelope.reset();
        return decodeWithParser(text, envelope);
    }

    /** The full parser's reading of {@code text} (within the length limit): every error's wording comes from here. */
    Decoded decodeWithParser(String text) {
        return decodeWithParser(text, new Envelope());
    }

    private Decoded decodeWithParser(String text, Envelope envelope) {
        JsonParser parser;
        try {
            parser = factory.createParser(text);
        } catch (IOException e) {
            // Creating a parser over a String reads nothing yet.
            throw new UncheckedIOException(e);
        }
        try {
            JsonToken first = parser.nextToken();
            if (first != JsonToken.START_OBJECT) {
                return bad(first == null ? "message is empty; expected a JSON object"
                        : "message must be a JSON object, got " + describe(first), null);
            }
            readMembers(parser, envelope, text);
            if (parser.nextToken() != null) {
                return bad("message must be one JSON object, but more data follows it", envelope.echoableId());
            }
        } catch (StreamConstraintsException e) {
            return bad(describeLimit(parser, e), envelope.echoableId());
        } catch (JsonProcessingException e) {
            return bad("message is not valid JSON: " + describeSyntax(e), envelope.echoableId());
        } catch (IOException e) {
            // A String source cannot fail to read; anything else Jackson reports is still a bad frame.
            return bad("message could not be read: " + e.getMessage(), envelope.echoableId());
        } finally {
            closeQuietly(parser);
        }
        return envelope.toDecoded(text);
    }

    private static void readMembers(JsonParser parser, Envelope envelope, String text) throws IOException {
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken value = parser.nextToken();
            switch (name) {
                case "type":
                    envelope.type.read(parser, value);
                    break;
                case "id":
                    envelope.id.read(parser, value);
                    break;
                case "room":
                    envelope.room.read(parser, value);
                    break;
                case "to":
                    envelope.to.read(parser, value);
                    break;
                case "payload":
                    envelope.readPayload(parser, value);
                    break;
                case "seq":
                    envelope.readSeq(parser, value);
                    break;
                default:
                    // A no-op for scalars: an unread string is skipped by the next nextToken().
                    parser.skipChildren();
            }
        }
        // The parser itself guarantees the loop ends on END_OBJECT or throws.
    }

    private String describeLimit(JsonParser parser, StreamConstraintsException e) {
        if (parser.getParsingContext() != null && parser.getParsingContext().getNestingDepth() >= maxNestingDepth) {
            return "message nests too deeply: a value may nest at most " + maxPayloadDepth + " levels inside the message object";
        }
        return "message exceeds a limit: " + CONSTRAINT_SOURCE.matcher(e.getOriginalMessage()).replaceAll("");
    }

    private static String describeSyntax(JsonProcessingException e) {
        String message = SOURCE_PREFIX.matcher(e.getOriginalMessage()).replaceAll("");
        JsonLocation at = e.getLocation();
        return at == null ? message : message + " (at line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
    }

    private static void closeQuietly(JsonParser parser) {
        try {
            parser.close();
        } catch (IOException ignored) {
            // Closing a parser over a String releases buffers only.
        }
    }

    private static Decoded bad(String message, String id) {
        return new Decoded.Invalid(ErrorCode.BAD_MESSAGE, message, id);
    }

    static String describe(JsonToken token) {
        switch (token) {
            case START_OBJECT:
                return "an object";
            case START_ARRAY:
                return "an array";
            case VALUE_STRING:
                return "a string";
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT:
                return "a number";
            case VALUE_TRUE:
            case VALUE_FALSE:
                return "a boolean";
            case VALUE_NULL:
                return "null";
            default:
                return token.name();
        }
    }

    /** A member that must be a string: its value, or the token it had instead, and how often it appeared. */
    static final class StringMember {
        private final String name;
        String value;
        private JsonToken wrongToken;
        int count;

        StringMember(String name) {
            this.name = name;
        }

        void reset() {
            value = null;
            wrongToken = null;
            count = 0;
        }

        /** The fast path's reading: one string value. */
        void set(String text) {
            value = text;
            count = 1;
        }

        void read(JsonParser parser, JsonToken token) throws IOException {
            if (count > 0) {
                count++;
                parser.skipChildren();
                return;
            }
            // Counted only once read: a string that turns out malformed must not look like a value.
            if (token == JsonToken.VALUE_STRING) {
                value = parser.getText();
            } else {
                wrongToken = token;
                parser.skipChildren();
            }
            count = 1;
        }

        /** Why this member is unusable as a required string, or null when it is fine. */
        String problem() {
            if (count == 0) {
                return "field '" + name + "' is required";
            }
            return optionalProblem();
        }

        /** Why this member is unusable as an optional string, or null when it is absent or fine. */
        String optionalProblem() {
            if (count > 1) {
                return "field '" + name + "' must appear only once";
            }
            if (count == 1 && value == null) {
                return "field '" + name + "' must be a string, got " + describe(wrongToken);
            }
            return null;
        }
    }

    /** What one frame said about the members the contract names. */
    static final class Envelope {
        final StringMember type = new StringMember("type");
        final StringMember id = new StringMember("id");
        final StringMember room = new StringMember("room");
        final StringMember to = new StringMember("to");
        int payloadCount;
        long seq = Decoded.Message.NO_SEQ;
        int payloadStart;
        int payloadEnd;

        /** As new. */
        void reset() {
            type.reset();
            id.reset();
            room.reset();
            to.reset();
            payloadCount = 0;
            seq = Decoded.Message.NO_SEQ;
            payloadStart = 0;
            payloadEnd = 0;
        }

        void readPayload(JsonParser parser, JsonToken token) throws IOException {
            payloadCount++;
            int start = (int) parser.currentTokenLocation().getCharOffset();
            if (token.isStructStart()) {
                parser.skipChildren();
            } else if (token == JsonToken.VALUE_STRING) {
                // Strings are tokenized lazily; finishing moves the location past the closing quote.
                parser.finishToken();
            }
            if (payloadCount == 1) {
                payloadStart = start;
                payloadEnd = (int) parser.currentLocation().getCharOffset();
            }
        }

        /** (v1.1) A positive integer up to 2^53 - 1 (what JavaScript counts exactly); anything else is invalid. */
        void readSeq(JsonParser parser, JsonToken token) throws IOException {
            if (seq != Decoded.Message.NO_SEQ) {
                seq = Decoded.Message.INVALID_SEQ;
                parser.skipChildren();
                return;
            }
            if (token == JsonToken.VALUE_NUMBER_INT && parser.getNumberType() != JsonParser.NumberType.BIG_INTEGER
                    && parser.getLongValue() >= 1 && parser.getLongValue() <= MAX_SEQ) {
                seq = parser.getLongValue();
            } else {
                seq = Decoded.Message.INVALID_SEQ;
                parser.skipChildren();
            }
        }

        String echoableId() {
            return id.count == 1 ? id.value : null;
        }

        Decoded toDecoded(String text) {
            String idProblem = id.optionalProblem();
            if (idProblem != null) {
                return bad(idProblem, null);
            }
            String messageId = id.value;
            String typeProblem = type.problem();
            if (typeProblem != null) {
                return bad(typeProblem, messageId);
            }
            switch (type.value) {
                case "join":
                    return join(messageId);
                case "leave":
                    return new Decoded.Message(new ClientMessage.Leave(messageId), seq);
                case "ping":
                    return new Decoded.Message(new ClientMessage.Ping(messageId), seq);
                case "offer":
                    return relay(messageId, RelayKind.OFFER, text);
                case "answer":
                    return relay(messageId, RelayKind.ANSWER, text);
                case "candidate":
                    return relay(messageId, RelayKind.CANDIDATE, text);
                default:
                    return new Decoded.Invalid(ErrorCode.UNKNOWN_TYPE,
                            "unknown message type '" + abbreviate(type.value) + "'", messageId);
            }
        }

        private Decoded join(String messageId) {
            String problem = room.problem();
            if (problem != null) {
                return bad(problem, messageId);
            }
            if (!RoomId.isValid(room.value)) {
                return new Decoded.Invalid(ErrorCode.INVALID_ROOM, RoomId.describeInvalid(room.value), messageId);
            }
            return new Decoded.Message(new ClientMessage.Join(messageId, RoomId.of(room.value)), seq);
        }

        private Decoded relay(String messageId, RelayKind kind, String text) {
            String problem = to.problem();
            if (problem != null) {
                return bad(problem, messageId);
            }
            if (payloadCount == 0) {
                return bad("field 'payload' is required", messageId);
            }
            if (payloadCount > 1) {
                return bad("field 'payload' must appear only once", messageId);
            }
            return new Decoded.Message(new ClientMessage.Relay(messageId, kind, to.value,
                    text.substring(payloadStart, payloadEnd)), seq);
        }

        private static String abbreviate(String value) {
            return value.length() <= MAX_ECHOED_TYPE ? value : value.substring(0, MAX_ECHOED_TYPE) + "...";
        }
    }

    // ------------------------------------------------------------------ encoding

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException if {@code welcome}'s {@code messagesPerSecond} is not a
     *                                  finite number, which JSON cannot express
     */
    @Override
    public String encode(ServerMessage message) {
        Objects.requireNonNull(message, "message");
        if (message instanceof ServerMessage.Relayed r) {
            // Peer ids are [A-Za-z0-9_-] and the kind a constant: nothing to escape, so the text is
            // the generator's byte for byte, made in one allocation of its exact size.
            return RELAY_PREFIX[r.kind().ordinal()] + r.from().value() + RELAY_TO + r.to().value() + RELAY_PAYLOAD
                    + r.payload() + '}';
        }
        if (message instanceof ServerMessage.Welcome w && w.resume() == null && w.identity() == null
                && w.iceServers().isEmpty()) {
            // Sent once per connection: the generator renders the limits once, not per handshake.
            WelcomeTemplate template = welcomeTemplate;
            if (template == null || !template.limits().equals(w.limits())) {
                template = WelcomeTemplate.of(generate(new ServerMessage.Welcome(TEMPLATE_PEER, w.limits())), w.limits());
                welcomeTemplate = template;
            }
            return template.head() + w.peerId().value() + template.tail();
        }
        return generate(message);
    }

    /**
     * A plain welcome as the generator writes it, cut at its peer id: peer ids are
     * [A-Za-z0-9_-], written as they are, so head + id + tail is the generator's text byte for byte.
     */
    private record WelcomeTemplate(ServerMessage.Limits limits, String head, String tail) {
        private static final String MARK = "\"peerId\":\"" + TEMPLATE_PEER.value() + '"';

        static WelcomeTemplate of(String rendered, ServerMessage.Limits limits) {
            int at = rendered.indexOf(MARK);
            if (at < 0) {
                throw new IllegalStateException("the welcome's rendering has no " + MARK + ": " + rendered);
            }
            int idStart = at + MARK.length() - 1 - TEMPLATE_PEER.value().length();
            return new WelcomeTemplate(limits, rendered.substring(0, idStart), rendered.substring(at + MARK.length() - 1));
        }
    }

    /** Any server message but a relay, through the generator. */
    private String generate(ServerMessage message) {
        StringWriter out = new StringWriter(128);
        try (JsonGenerator g = factory.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("type", message.type());
            if (message instanceof ServerMessage.Error e) {
                g.writeStringField("code", e.code().wire());
                g.writeStringField("message", e.message());
                writeId(g, e.id());
                if (e.retryAfterMs() != null) {
                    g.writeNumberField("retryAfterMs", e.retryAfterMs());
                }
            } else if (message instanceof ServerMessage.Pong p) {
                writeId(g, p.id());
            } else if (message instanceof ServerMessage.Joined j) {
                writeId(g, j.id());
                g.writeStringField("room", j.room().value());
                g.writeStringField("peerId", j.peerId().value());
                g.writeArrayFieldStart("peers");
                for (PeerId peer : j.peers()) {
                    g.writeString(peer.value());
                }
                g.writeEndArray();
                g.writeBooleanField("polite", j.polite());
                if (j.members() != null) {
                    g.writeArrayFieldStart("members");
                    for (ServerMessage.Member member : j.members()) {
                        g.writeStartObject();
                        g.writeStringField("peerId", member.peerId().value());
                        if (member.identity() != null) {
                            g.writeStringField("identity", member.identity());
                        }
                        g.writeEndObject();
                    }
                    g.writeEndArray();
                }
            } else if (message instanceof ServerMessage.PeerJoined p) {
                g.writeStringField("room", p.room().value());
                g.writeStringField("peerId", p.peerId().value());
                g.writeBooleanField("polite", p.polite());
                if (p.identity() != null) {
                    g.writeStringField("identity", p.identity());
                }
            } else if (message instanceof ServerMessage.IceServers i) {
                writeIceServers(g, i.iceServers());
            } else if (message instanceof ServerMessage.PeerLeft p) {
                g.writeStringField("room", p.room().value());
                g.writeStringField("peerId", p.peerId().value());
                g.writeStringField("reason", p.reason().wire());
            } else if (message instanceof ServerMessage.Left l) {
                writeId(g, l.id());
                g.writeStringField("room", l.room().value());
                if (l.reason() != null) {
                    g.writeStringField("reason", l.reason().wire());
                }
            } else if (message instanceof ServerMessage.GoAway a) {
                g.writeStringField("reason", a.reason());
                g.writeBooleanField("reconnect", a.reconnect());
                if (a.resumeToken() != null) {
                    g.writeStringField("resumeToken", a.resumeToken());
                }
            } else if (message instanceof ServerMessage.Welcome w) {
                writeWelcome(g, w);
            } else {
                throw new IllegalArgumentException("no encoding for " + message.getClass().getName());
            }
            g.writeEndObject();
        } catch (IOException e) {
            // Only a StringWriter is written to, which never fails.
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /**
     * {@inheritDoc}
     *
     * <p>Copies {@code encoded} once, into a builder this thread keeps, so the numbered text is the
     * only allocation; a text over {@value #MAX_KEPT_BUILDER_CHARS} chars gets a builder of its own.
     */
    @Override
    public String sequenced(String encoded, long seq) {
        int end = encoded.length() - 1;
        if (end < 1 || encoded.charAt(end) != '}') {
            // Not this codec's compact output: the general rule (which refuses non-objects).
            return MessageCodec.super.sequenced(encoded, seq);
        }
        int size = encoded.length() + SEQ_MEMBER.length() + 20;
        StringBuilder sb;
        if (size > MAX_KEPT_BUILDER_CHARS) {
            sb = new StringBuilder(size);
        } else {
            sb = numbering.get();
            sb.setLength(0);
        }
        return sb.append(encoded, 0, end).append(SEQ_MEMBER).append(seq).append('}').toString();
    }

    private static void writeWelcome(JsonGenerator g, ServerMessage.Welcome welcome) throws IOException {
        ServerMessage.Limits limits = welcome.limits();
        double rate = limits.messagesPerSecond();
        if (!Double.isFinite(rate)) {
            throw new IllegalArgumentException("messagesPerSecond must be finite, got " + rate);
        }
        g.writeStringField("peerId", welcome.peerId().value());
        g.writeObjectFieldStart("limits");
        g.writeNumberField("maxMessageBytes", limits.maxMessageBytes());
        g.writeNumberField("maxPeersPerRoom", limits.maxPeersPerRoom());
        // Clients read "50" more naturally than "50.0"; the contract allows a fraction only here.
        if (rate == Math.rint(rate) && Math.abs(rate) < 1e15) {
            g.writeNumberField("messagesPerSecond", (long) rate);
        } else {
            g.writeNumberField("messagesPerSecond", rate);
        }
        g.writeNumberField("burst", limits.burst());
        g.writeNumberField("pingIntervalMs", limits.pingIntervalMs());
        g.writeNumberField("idleTimeoutMs", limits.idleTimeoutMs());
        ServerMessage.Resume resume = welcome.resume();
        if (resume != null) {
            g.writeNumberField("resumeWindowMs", resume.resumeWindowMs());
        }
        g.writeEndObject();
        if (resume != null) {
            if (resume.resumeToken() != null) {
                g.writeStringField("resumeToken", resume.resumeToken());
            }
            if (resume.resumed() != null) {
                g.writeBooleanField("resumed", resume.resumed());
            }
            if (Boolean.TRUE.equals(resume.resumed())) {
                if (resume.room() == null) {
                    g.writeNullField("room");
                } else {
                    g.writeStringField("room", resume.room().value());
                }
                if (resume.lastClientSeq() != null) {
                    g.writeNumberField("lastClientSeq", resume.lastClientSeq());
                }
            }
        }
        if (welcome.identity() != null) {
            g.writeStringField("identity", welcome.identity());
        }
        if (!welcome.iceServers().isEmpty()) {
            writeIceServers(g, welcome.iceServers());
        }
    }

    /** {@code "iceServers":[{"urls":[…],"username":…,"credential":…}]}, the browser's RTCIceServer shape. */
    private static void writeIceServers(JsonGenerator g, java.util.List<IceServer> servers) throws IOException {
        g.writeArrayFieldStart("iceServers");
        for (IceServer server : servers) {
            g.writeStartObject();
            g.writeArrayFieldStart("urls");
            for (String url : server.urls()) {
                g.writeString(url);
            }
            g.writeEndArray();
            if (server.username() != null) {
                g.writeStringField("username", server.username());
                g.writeStringField("credential", server.credential());
            }
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private static void writeId(JsonGenerator g, String id) throws IOException {
        if (id != null) {
            g.writeStringField("id", id);
        }
    }
}

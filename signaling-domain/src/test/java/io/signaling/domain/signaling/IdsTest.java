package io.signaling.domain.signaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.signaling.domain.error.DomainException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class IdsTest {

    @ParameterizedTest
    @ValueSource(strings = {"a", "Room_1-x", "0123456789012345678901234567890123456789012345678901234567890123"})
    void acceptsUpTo64UrlSafeCharacters(String value) {
        assertThat(RoomId.of(value).value()).isEqualTo(value);
        assertThat(PeerId.of(value).value()).isEqualTo(value);
        assertThat(RoomId.isValid(value)).isTrue();
        assertThat(PeerId.isValid(value)).isTrue();
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"has space", "slash/", "dot.", "é", "01234567890123456789012345678901234567890123456789012345678901234"})
    void rejectsEverythingElse(String value) {
        assertThat(RoomId.isValid(value)).isFalse();
        assertThat(PeerId.isValid(value)).isFalse();
        assertThatThrownBy(() -> RoomId.of(value)).isInstanceOf(DomainException.class)
                .satisfies(e -> assertThat(((DomainException) e).error().code()).isEqualTo("invalid-room"));
        assertThatThrownBy(() -> PeerId.of(value)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void explainsWhyARoomIsInvalid() {
        assertThat(RoomId.describeInvalid(null)).isEqualTo("room is required");
        assertThat(RoomId.describeInvalid("")).isEqualTo("room must not be empty");
        assertThat(RoomId.describeInvalid("x".repeat(65))).contains("at most 64", "65");
        assertThat(RoomId.describeInvalid("a b")).contains("A-Z");
    }

    @Test
    void errorCodesUseTheContractSpelling() {
        assertThat(ErrorCode.values()).extracting(ErrorCode::wire).containsExactly("bad-message", "unknown-type",
                "invalid-room", "already-in-room", "not-in-room", "peer-not-found", "room-full", "rate-limited",
                "message-too-large", "server-shutting-down", "unavailable", "forbidden");
        assertThat(ErrorCode.fromWire("room-full")).contains(ErrorCode.ROOM_FULL);
        assertThat(ErrorCode.fromWire("nope")).isEmpty();
        assertThat(RelayKind.fromWire("candidate")).contains(RelayKind.CANDIDATE);
        assertThat(RelayKind.fromWire("join")).isEmpty();
    }

    @Test
    void retryAfterBelongsToRateLimitedAndUnavailableOnly() {
        assertThat(new ServerMessage.Error(ErrorCode.RATE_LIMITED, "slow down", null, 20L).retryAfterMs()).isEqualTo(20L);
        assertThat(new ServerMessage.Error(ErrorCode.UNAVAILABLE, "try later", null, 900L).retryAfterMs()).isEqualTo(900L);
        assertThatThrownBy(() -> new ServerMessage.Error(ErrorCode.ROOM_FULL, "full", null, 20L))
                .isInstanceOf(IllegalArgumentException.class);
    }
}

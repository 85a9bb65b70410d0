package io.signaling.domain.signaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TokenBucketTest {

    private static final long MS = 1_000_000L;

    @Test
    void allowsTheBurstThenRefillsAtTheRate() {
        TokenBucket bucket = new TokenBucket(10, 3, 0);
        assertThat(bucket.tryAcquire(0)).isTrue();
        assertThat(bucket.tryAcquire(0)).isTrue();
        assertThat(bucket.tryAcquire(0)).isTrue();
        assertThat(bucket.tryAcquire(0)).isFalse();
        assertThat(bucket.millisUntilNextToken(0)).isEqualTo(100);
        assertThat(bucket.tryAcquire(99 * MS)).isFalse();
        assertThat(bucket.millisUntilNextToken(99 * MS)).isEqualTo(1);
        assertThat(bucket.tryAcquire(100 * MS)).isTrue();
        assertThat(bucket.tryAcquire(100 * MS)).isFalse();
    }

    @Test
    void neverHoldsMoreThanTheBurst() {
        TokenBucket bucket = new TokenBucket(1000, 2, 0);
        long later = 60_000 * MS;
        assertThat(bucket.tryAcquire(later)).isTrue();
        assertThat(bucket.tryAcquire(later)).isTrue();
        assertThat(bucket.tryAcquire(later)).isFalse();
    }

    @Test
    void fractionalRates() {
        TokenBucket bucket = new TokenBucket(0.5, 1, 0);
        assertThat(bucket.tryAcquire(0)).isTrue();
        assertThat(bucket.millisUntilNextToken(0)).isEqualTo(2000);
        assertThat(bucket.tryAcquire(1999 * MS)).isFalse();
        assertThat(bucket.tryAcquire(2000 * MS)).isTrue();
    }

    @Test
    void rejectsNonsense() {
        assertThatThrownBy(() -> new TokenBucket(0, 1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TokenBucket(Double.NaN, 1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TokenBucket(1, 0, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}

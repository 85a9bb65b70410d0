package io.signaling.benchmarks.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.signaling.benchmarks.load.RelayLedger.Verdict;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RelayLedgerTest {

    private final RelayLedger ledger = new RelayLedger();

    @BeforeEach
    void rooms() {
        ledger.register("a", Set.of("b", "c"));
        ledger.register("b", Set.of("a", "c"));
        ledger.register("c", Set.of("a", "b"));
        ledger.register("x", Set.of());
    }

    @Test
    void countsDeliveredAndNothingLostWhenEverythingArrives() {
        ledger.sent("a", "b");
        ledger.sent("a", "c");
        ledger.sent("a", "b");
        assertThat(ledger.received("b", "a", "b", 0)).isEqualTo(Verdict.DELIVERED);
        assertThat(ledger.received("c", "a", "c", 1)).isEqualTo(Verdict.DELIVERED);
        assertThat(ledger.received("b", "a", "b", 2)).isEqualTo(Verdict.DELIVERED);

        assertThat(ledger.sent()).isEqualTo(3);
        assertThat(ledger.delivered()).isEqualTo(3);
        assertThat(ledger.lost()).isZero();
        assertThat(ledger.duplicated()).isZero();
        assertThat(ledger.misrouted()).isZero();
    }

    @Test
    void aDuplicateIsCountedAndCannotHideALoss() {
        ledger.sent("a", "b");
        ledger.sent("a", "b");
        ledger.received("b", "a", "b", 0);
        assertThat(ledger.received("b", "a", "b", 0)).isEqualTo(Verdict.DUPLICATE);

        assertThat(ledger.duplicated()).isEqualTo(1);
        assertThat(ledger.delivered()).isEqualTo(1);
        assertThat(ledger.lost()).isEqualTo(1);
    }

    @Test
    void misroutedWhenToIsNotSelfOrSenderIsNotARoomMate() {
        assertThat(ledger.received("b", "a", "c", 0)).isEqualTo(Verdict.MISROUTED);
        assertThat(ledger.received("b", "x", "b", 0)).isEqualTo(Verdict.MISROUTED);
        assertThat(ledger.received("b", "stranger", "b", 0)).isEqualTo(Verdict.MISROUTED);
        assertThat(ledger.received("b", null, "b", 0)).isEqualTo(Verdict.MISROUTED);
        assertThat(ledger.received("b", "a", "b", -1)).isEqualTo(Verdict.MISROUTED);

        assertThat(ledger.misrouted()).isEqualTo(5);
        assertThat(ledger.delivered()).isZero();
    }

    @Test
    void lossIsPerPairAndReorderingIsFlagged() {
        ledger.sent("a", "b");
        ledger.sent("a", "b");
        ledger.sent("c", "b");
        assertThat(ledger.received("b", "a", "b", 5)).isEqualTo(Verdict.DELIVERED);
        assertThat(ledger.received("b", "a", "b", 3)).isEqualTo(Verdict.REORDERED);
        // b got two from a but none from c: an extra arrival from one sender must not offset another's loss.
        assertThat(ledger.lost()).isEqualTo(1);
        assertThat(ledger.reordered()).isEqualTo(1);
        assertThat(ledger.delivered()).isEqualTo(2);
    }

    @Test
    void aFailedSendIsNotExpected() {
        ledger.sent("a", "c");
        ledger.sendFailed("a", "c");
        assertThat(ledger.sent()).isZero();
        assertThat(ledger.sendFailed()).isEqualTo(1);
        assertThat(ledger.lost()).isZero();
    }
}

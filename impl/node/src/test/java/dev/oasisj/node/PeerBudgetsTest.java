package dev.oasisj.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PeerBudgetsTest {

    @Test
    void shellLimitsPerSecond_becomePerTickRates() {
        PeerBudgets.Settings ms = PeerBudgets.Settings.forTickMillis(1);
        assertEquals(ShellLimits.PEER_BYTES_PER_SECOND / 1_000, ms.bytesPerTick());
        assertEquals(ShellLimits.PEER_MESSAGES_PER_SECOND / 1_000, ms.messagesPerTick());
        assertEquals(ShellLimits.PEER_BAN_MILLIS, ms.banTicks());
        assertEquals(ShellLimits.PEER_BAN_MILLIS, ms.banMillis());
        PeerBudgets.Settings tenMs = PeerBudgets.Settings.forTickMillis(10);
        assertEquals(ShellLimits.PEER_BYTES_PER_SECOND / 100, tenMs.bytesPerTick());
        assertEquals(ShellLimits.PEER_BAN_MILLIS / 10, tenMs.banTicks());
        assertEquals(ShellLimits.PEER_BAN_MILLIS, tenMs.banMillis(), "the transport's ban is in milliseconds");
    }

    @Test
    void aByteBurstThatCouldNotAdmitTheLargestFrame_isRefused() {
        assertThrows(IllegalArgumentException.class, () -> new PeerBudgets.Settings(ShellLimits.MAX_FRAME_BYTES - 1, 1,
                1, 1, 0, 1, 1, 0));
        new PeerBudgets.Settings(ShellLimits.MAX_FRAME_BYTES, 1, 1, 1, 0, 1, 1, 0);
    }

    @Test
    void aBucketRefillsAtItsRate_upToItsBurst_andEachPeerHasItsOwn() {
        PeerBudgets b = new PeerBudgets(2, new PeerBudgets.Settings(ShellLimits.MAX_FRAME_BYTES, 1_000, 1_000_000,
                1_000, 0, 1, 1, 0));
        assertEquals(PeerBudgets.Verdict.ADMITTED, b.admit(0, ShellLimits.MAX_FRAME_BYTES, 0));
        assertEquals(PeerBudgets.Verdict.OVER_BUDGET, b.admit(0, 1, 0));
        assertEquals(PeerBudgets.Verdict.ADMITTED, b.admit(1, ShellLimits.MAX_FRAME_BYTES, 0), "peer 1 is not held");
        assertEquals(PeerBudgets.Verdict.ADMITTED, b.admit(0, 5_000, 5));
        assertEquals(PeerBudgets.Verdict.OVER_BUDGET, b.admit(0, 1, 5));
        // A long quiet spell refills only up to the burst (and does not overflow).
        assertEquals(PeerBudgets.Verdict.ADMITTED, b.admit(0, ShellLimits.MAX_FRAME_BYTES, Long.MAX_VALUE / 2));
        assertEquals(PeerBudgets.Verdict.OVER_BUDGET, b.admit(0, 1, Long.MAX_VALUE / 2));
    }

    @Test
    void junkAllowance_isForgivenOverTime_andItsEndBansForTheBanTicks() {
        PeerBudgets b = new PeerBudgets(2, new PeerBudgets.Settings(ShellLimits.MAX_FRAME_BYTES, 1, 10, 1, 2, 100,
                50, 0));
        assertFalse(b.junk(1, 0));
        assertFalse(b.junk(1, 10));
        assertFalse(b.junk(1, 100), "one junk frame forgiven after 100 ticks");
        assertTrue(b.junk(1, 150), "allowance spent: banned");
        assertTrue(b.banned(1, 150) && b.banned(1, 199));
        assertEquals(PeerBudgets.Verdict.BANNED, b.admit(1, 1, 199));
        assertFalse(b.banned(1, 200), "the ban lasts 50 ticks");
        assertEquals(PeerBudgets.Verdict.ADMITTED, b.admit(1, 1, 200));
        assertFalse(b.banned(0, 150), "only the junk sender");
        assertFalse(b.junk(1, 200), "a fresh allowance after the ban");
    }
}

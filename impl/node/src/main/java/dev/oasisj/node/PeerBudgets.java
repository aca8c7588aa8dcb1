package dev.oasisj.node;

/**
 * The agent's per-peer limits on authenticated peer traffic, checked before a frame is journaled (shell only: time is
 * the agent's clock tick, never anything inside the deterministic core).
 *
 * <ul>
 *   <li>Two token buckets per peer, bytes and messages: a frame costs its length and one message; a frame that finds
 *       either bucket short is dropped (and counted), not journaled. A bucket holds at most its burst and refills at
 *       its rate per tick. So the journal takes from one peer at most {@code burstBytes + bytesPerTick * ticks} bytes of
 *       frames (plus a small header per record) in any {@code ticks}.</li>
 *   <li>A junk allowance per peer ({@link dev.oasisj.core.node.NodeStateMachine#junk}): a peer may send
 *       {@link Settings#junkBeforeBan} junk frames, and is forgiven one every {@link Settings#junkForgivenTicks}; the
 *       next junk frame bans it for {@link Settings#banTicks}: its frames are dropped and the transport disconnects it
 *       and refuses its reconnections for {@link Settings#banMillis}.</li>
 * </ul>
 *
 * <p>Agent thread only.
 */
public final class PeerBudgets {

    /** The limits, validated at construction. */
    public record Settings(long burstBytes, long bytesPerTick, long burstMessages, long messagesPerTick, int junkBeforeBan,
            long junkForgivenTicks, long banTicks, long banMillis) {
        public Settings {
            if (burstBytes < ShellLimits.MAX_FRAME_BYTES || bytesPerTick < 1 || burstMessages < 1
                    || messagesPerTick < 1 || junkBeforeBan < 0 || junkForgivenTicks < 1 || banTicks < 1
                    || banMillis < 0) {
                throw new IllegalArgumentException("invalid peer budgets " + this
                        + " (the byte burst must admit a frame of the largest size, " + ShellLimits.MAX_FRAME_BYTES
                        + " bytes)");
            }
        }

        /** {@link ShellLimits}' per-second limits for a clock of one tick per {@code tickMillis}. */
        public static Settings forTickMillis(long tickMillis) {
            if (tickMillis < 1) {
                throw new IllegalArgumentException("tickMillis must be >= 1, got " + tickMillis);
            }
            return new Settings(ShellLimits.PEER_BURST_BYTES,
                    Math.max(1, ShellLimits.PEER_BYTES_PER_SECOND * tickMillis / 1_000),
                    ShellLimits.PEER_BURST_MESSAGES,
                    Math.max(1, ShellLimits.PEER_MESSAGES_PER_SECOND * tickMillis / 1_000),
                    ShellLimits.PEER_JUNK_FRAMES_BEFORE_BAN,
                    Math.max(1, ShellLimits.PEER_JUNK_FORGIVEN_MILLIS / tickMillis),
                    Math.max(1, ShellLimits.PEER_BAN_MILLIS / tickMillis),
                    ShellLimits.PEER_BAN_MILLIS);
        }
    }

    /** What {@link #admit} decided about a frame. */
    enum Verdict { ADMITTED, BANNED, OVER_BUDGET }

    private final Settings settings;
    private final long[] bytes;
    private final long[] messages;
    private final long[] refilledAtTick;
    private final long[] junkAllowance;
    private final long[] junkForgivenAtTick;
    private final long[] bannedUntilTick;

    PeerBudgets(int validators, Settings settings) {
        this.settings = settings;
        this.bytes = new long[validators];
        this.messages = new long[validators];
        this.refilledAtTick = new long[validators];
        this.junkAllowance = new long[validators];
        this.junkForgivenAtTick = new long[validators];
        this.bannedUntilTick = new long[validators];
        java.util.Arrays.fill(bytes, settings.burstBytes());
        java.util.Arrays.fill(messages, settings.burstMessages());
        java.util.Arrays.fill(refilledAtTick, Long.MIN_VALUE);
        java.util.Arrays.fill(junkAllowance, settings.junkBeforeBan());
        java.util.Arrays.fill(junkForgivenAtTick, Long.MIN_VALUE);
        java.util.Arrays.fill(bannedUntilTick, Long.MIN_VALUE);
    }

    Settings settings() {
        return settings;
    }

    /** Whether a frame of {@code length} bytes from {@code peer} may be taken at {@code tick}; if so, it is charged. */
    Verdict admit(int peer, int length, long tick) {
        if (tick < bannedUntilTick[peer]) {
            return Verdict.BANNED;
        }
        refill(peer, tick);
        if (bytes[peer] < length || messages[peer] < 1) {
            return Verdict.OVER_BUDGET;
        }
        bytes[peer] -= length;
        messages[peer] -= 1;
        return Verdict.ADMITTED;
    }

    /** Counts a junk frame from {@code peer} at {@code tick}; true if that bans the peer (from this tick on). */
    boolean junk(int peer, long tick) {
        long last = junkForgivenAtTick[peer];
        if (last == Long.MIN_VALUE) {
            junkForgivenAtTick[peer] = tick;
        } else if (tick > last) {
            long forgiven = (tick - last) / settings.junkForgivenTicks();
            if (forgiven > 0) {
                junkAllowance[peer] = Math.min(settings.junkBeforeBan(), junkAllowance[peer] + forgiven);
                junkForgivenAtTick[peer] = last + forgiven * settings.junkForgivenTicks();
            }
        }
        if (junkAllowance[peer] > 0) {
            junkAllowance[peer]--;
            return false;
        }
        bannedUntilTick[peer] = saturatedAdd(tick, settings.banTicks());
        junkAllowance[peer] = settings.junkBeforeBan(); // a fresh allowance once the ban ends
        junkForgivenAtTick[peer] = bannedUntilTick[peer];
        return true;
    }

    boolean banned(int peer, long tick) {
        return tick < bannedUntilTick[peer];
    }

    private void refill(int peer, long tick) {
        long last = refilledAtTick[peer];
        refilledAtTick[peer] = tick;
        if (last == Long.MIN_VALUE || tick <= last) {
            return;
        }
        long elapsed = tick - last;
        bytes[peer] = Math.min(settings.burstBytes(), saturatedAdd(bytes[peer], saturatedMultiply(elapsed,
                settings.bytesPerTick())));
        messages[peer] = Math.min(settings.burstMessages(), saturatedAdd(messages[peer], saturatedMultiply(elapsed,
                settings.messagesPerTick())));
    }

    private static long saturatedAdd(long a, long b) {
        long r = a + b;
        return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
    }

    private static long saturatedMultiply(long a, long b) {
        long hi = Math.multiplyHigh(a, b);
        long lo = a * b;
        return (hi == 0 && lo >= 0) ? lo : Long.MAX_VALUE;
    }
}

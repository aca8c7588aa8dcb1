package dev.oasisj.core.consensus;

/**
 * The limits of one consensus core, validated at construction.
 *
 * @param chainId signed into every message, so messages of another chain never verify
 * @param roundWindow messages at a round more than this above the current round are rejected
 * @param maxMessagesPerSenderSlot at most this many different messages per (sender, height, round, kind) are kept; a
 *     correct sender sends one, a Byzantine one may equivocate and its messages are evidence, but their number is bounded
 * @param maxRound the spec's {@code MaxRound}: a model bound, {@code Integer.MAX_VALUE} ("none") outside tests
 * @param maxHeight the spec's {@code MaxHeight}: a model bound, {@code Long.MAX_VALUE} ("none") outside tests
 */
public record ConsensusConfig(String chainId, int roundWindow, int maxMessagesPerSenderSlot, int maxRound,
        long maxHeight) {
    public static final int DEFAULT_ROUND_WINDOW = 64;
    public static final int DEFAULT_MAX_MESSAGES_PER_SENDER_SLOT = 8;
    public static final int MAX_CHAIN_ID_BYTES = 256;

    public ConsensusConfig {
        if (chainId.isEmpty() || chainId.length() > MAX_CHAIN_ID_BYTES) {
            throw new IllegalArgumentException("chainId must have 1.." + MAX_CHAIN_ID_BYTES + " characters");
        }
        if (roundWindow < 1 || roundWindow > 1_000_000) {
            throw new IllegalArgumentException("roundWindow must be in 1..1000000, got " + roundWindow);
        }
        if (maxMessagesPerSenderSlot < 1 || maxMessagesPerSenderSlot > 64) {
            throw new IllegalArgumentException("maxMessagesPerSenderSlot must be in 1..64");
        }
        if (maxRound < 0) {
            throw new IllegalArgumentException("maxRound must be >= 0");
        }
        if (maxHeight < 1) {
            throw new IllegalArgumentException("maxHeight must be >= 1");
        }
    }

    /** Production defaults: no round or height bound. */
    public static ConsensusConfig of(String chainId) {
        return new ConsensusConfig(chainId, DEFAULT_ROUND_WINDOW, DEFAULT_MAX_MESSAGES_PER_SENDER_SLOT,
                Integer.MAX_VALUE, Long.MAX_VALUE);
    }

    public ConsensusConfig withMaxRound(int newMaxRound) {
        return new ConsensusConfig(chainId, roundWindow, maxMessagesPerSenderSlot, newMaxRound, maxHeight);
    }

    public ConsensusConfig withMaxHeight(long newMaxHeight) {
        return new ConsensusConfig(chainId, roundWindow, maxMessagesPerSenderSlot, maxRound, newMaxHeight);
    }
}

package dev.oasisj.core.consensus;

import dev.oasisj.core.crypto.Hash32;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The correct actions of ACTIONS.md with their parameters (the validator {@code p} is the core itself). Names match the
 * spec's {@code lastAction.name} via {@link #specName()}.
 */
public sealed interface Action permits Action.Propose, Action.PrevoteOnProposal, Action.PrevoteOnProposalWithPol,
        Action.TimeoutPropose, Action.TimeoutPrevote, Action.LockOnPol, Action.PrecommitOnNilQuorum,
        Action.TimeoutPrecommit, Action.Decide, Action.RoundSkip, Action.NextHeight {

    /** The action's name as written in the spec's {@code lastAction}. */
    String specName();

    /** Propose the block {@code payload} with hash {@code value} (see {@link ConsensusCore#propose}). */
    record Propose(Hash32 value, byte[] payload) implements Action {
        public Propose {
            payload = payload.clone();
        }

        @Override
        public byte[] payload() {
            return payload.clone();
        }

        @Override
        public boolean equals(@Nullable Object o) {
            return o instanceof Propose p && p.value.equals(value);
        }

        @Override
        public int hashCode() {
            return value.hashCode();
        }

        @Override
        public String specName() {
            return "Propose";
        }
    }

    record PrevoteOnProposal(Hash32 value) implements Action {
        @Override
        public String specName() {
            return "PrevoteOnProposal";
        }
    }

    record PrevoteOnProposalWithPol(Hash32 value, int validRound) implements Action {
        @Override
        public String specName() {
            return "PrevoteOnProposalWithPOL";
        }
    }

    record TimeoutPropose() implements Action {
        @Override
        public String specName() {
            return "TimeoutPropose";
        }
    }

    record TimeoutPrevote() implements Action {
        @Override
        public String specName() {
            return "TimeoutPrevote";
        }
    }

    record LockOnPol(Hash32 value) implements Action {
        @Override
        public String specName() {
            return "LockOnPOL";
        }
    }

    record PrecommitOnNilQuorum() implements Action {
        @Override
        public String specName() {
            return "PrecommitOnNilQuorum";
        }
    }

    record TimeoutPrecommit() implements Action {
        @Override
        public String specName() {
            return "TimeoutPrecommit";
        }
    }

    record Decide(Hash32 value, int round) implements Action {
        @Override
        public String specName() {
            return "Decide";
        }
    }

    record RoundSkip(int round) implements Action {
        @Override
        public String specName() {
            return "RoundSkip";
        }
    }

    record NextHeight() implements Action {
        @Override
        public String specName() {
            return "NextHeight";
        }
    }
}

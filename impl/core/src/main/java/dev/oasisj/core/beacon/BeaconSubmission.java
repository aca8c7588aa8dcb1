package dev.oasisj.core.beacon;

/** What {@link BeaconRound#submit} made of a proof: the round with it accepted, or why it was refused. */
public sealed interface BeaconSubmission permits BeaconSubmission.Accepted, BeaconSubmission.Rejected {

    /** Accepted; {@code round} is the round with the proof's output added. */
    record Accepted(BeaconRound round) implements BeaconSubmission {}

    /** Refused for {@code reason}; {@code detail} for logs. */
    record Rejected(BeaconRejectReason reason, String detail) implements BeaconSubmission {}
}

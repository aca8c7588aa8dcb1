/**
 * The beacon service's pure core (issue 9, point 4): one immutable {@link dev.oasisj.core.beacon.BeaconRound} per
 * epoch, to which the validators of the epoch submit ECVRF proofs ({@code beacon.SubmitProof},
 * {@link dev.oasisj.core.beacon.BeaconProof}) and which, closed at the epoch's last block, gives the next epoch's
 * beacon ({@link dev.oasisj.core.beacon.BeaconOutcome}). The protocol, the threshold, the fallback and the bias a
 * withholding validator has are specified in {@code spec/committee/README.md}, section "The beacon". Not wired into
 * the node yet.
 *
 * <h2>Public API (what the seam calls)</h2>
 * <ul>
 *   <li>{@code BeaconRound.open(chainId, epoch, beaconOfEpoch, Map<PublicKey, Long> validatorPowers)},
 *       {@code BeaconRound.genesisBeacon(chainId)}, {@code BeaconRound.alpha(chainId, epoch, beaconOfEpoch)} (what a
 *       validator proves: {@code signer.vrfProve(alpha)}).</li>
 *   <li>{@code round.submit(BeaconProof) -> BeaconSubmission} ({@code Accepted(round)} |
 *       {@code Rejected(BeaconRejectReason, detail)}), {@code round.thresholdReached()},
 *       {@code round.close() -> BeaconOutcome(epoch + 1, beacon, fallback, contributors, contributedPower,
 *       totalPower)}.</li>
 *   <li>{@link dev.oasisj.core.beacon.BeaconMethods}{@code .ALL} for the {@code MethodRegistry}.</li>
 * </ul>
 *
 * <h2>Tests</h2>
 * {@code BeaconRoundTest}, with real {@code Signer} keys. Hand mutants of 6 rules (the threshold's {@code >}, the
 * duplicate and epoch checks, alpha's and the fallback's inputs, the betas in the value) were each killed.
 */
package dev.oasisj.core.beacon;

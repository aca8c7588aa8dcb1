/**
 * The deterministic consensus core of one validator: the Tendermint-family algorithm of {@code spec/consensus}, with
 * exactly the actions of {@code spec/consensus/ACTIONS.md} (the contract with the TLA+ spec and the trace corpus).
 *
 * <h2>Public API (stable; change only together with its users in {@code dev.oasisj.core.node})</h2>
 * <ul>
 *   <li>{@link dev.oasisj.core.consensus.ValidatorSet}: {@code new ValidatorSet(List<Validator>)},
 *       {@code record Validator(String name, PublicKey key, long power)}; {@code totalPower()},
 *       {@code powerOf(Collection<PublicKey>)}, {@code isQuorum(Collection<PublicKey>)} (3*power > 2*total),
 *       {@code isOneThird(Collection<PublicKey>)} (3*power > total), {@code proposer(long height, int round)} (the
 *       spec's {@code Proposer}: powers divided by their gcd {@code powerUnit()}, each validator owns
 *       {@code power / powerUnit} of {@code rotationLength() = totalPower / powerUnit} slots in list order, and position
 *       {@code (height + round) mod rotationLength} is slot {@code position * stride mod rotationLength}, the stride
 *       coprime with the length: each validator proposes exactly {@code power / powerUnit} times in every
 *       {@code rotationLength} consecutive positions, so {@code n} validators of equal power once each in every
 *       {@code n}), {@code contains(PublicKey)}, {@code validators()}.</li>
 *   <li>{@link dev.oasisj.core.consensus.VoteValue}: sealed, {@code VoteValue.NIL} or {@code VoteValue.of(Hash32)}
 *       (never null).</li>
 *   <li>{@link dev.oasisj.core.consensus.ConsensusMessage}: sealed; {@code Proposal(long height, int round, Hash32 value,
 *       int validRound, byte[] payload)} (value must be SHA-256 of payload; {@code Proposal.of(height, round,
 *       payload, validRound)} computes it), {@code Prevote(long height, int round,
 *       VoteValue value)}, {@code Precommit(long height, int round, VoteValue value)}.</li>
 *   <li>{@link dev.oasisj.core.consensus.SignedMessage}: {@code record SignedMessage(ConsensusMessage message, PublicKey
 *       signer, byte[] signature)}; {@code SignedMessage.sign(String chainId, ConsensusMessage, Signer)},
 *       {@code verify(String chainId)}.</li>
 *   <li>{@link dev.oasisj.core.consensus.ConsensusMessageCodec}: {@code encode(SignedMessage) -> byte[]},
 *       {@code decode(byte[]) throws DecodeException} (size checked before decoding, trailing bytes rejected,
 *       signature not checked), {@code decodeVerified(byte[], String chainId)} (also checks the signature),
 *       {@code MAX_PAYLOAD_BYTES}, {@code MAX_MESSAGE_BYTES}.</li>
 *   <li>{@link dev.oasisj.core.consensus.ConsensusConfig}: {@code ConsensusConfig.of(String chainId)}, with
 *       {@code withMaxRound(int)} / {@code withMaxHeight(long)} (model bounds, for tests only).</li>
 *   <li>{@link dev.oasisj.core.consensus.ValuePolicy}: {@code boolean isValid(Hash32 value, byte[] payload)}.</li>
 *   <li>{@link dev.oasisj.core.consensus.ConsensusCore}: {@code new ConsensusCore(ConsensusConfig, ValidatorSet,
 *       Optional<Signer>, ValuePolicy, long startHeight)};
 *       {@code deliver(SignedMessage) -> DeliverResult} ({@code Accepted} | {@code Rejected(Reason, String)});
 *       one method per correct action, each returning {@link dev.oasisj.core.consensus.StepResult}
 *       ({@code Applied(Action, List<SignedMessage> broadcast, Optional<Decision>)} | {@code NotEnabled(Action, String)}):
 *       {@code propose(Hash32, byte[])}, {@code prevoteOnProposal(Hash32)},
 *       {@code prevoteOnProposalWithPol(Hash32, int validRound)}, {@code timeoutPropose()}, {@code timeoutPrevote()},
 *       {@code lockOnPol(Hash32)}, {@code precommitOnNilQuorum()}, {@code timeoutPrecommit()},
 *       {@code decide(Hash32, int round)}, {@code roundSkip(int round)}, {@code nextHeight()}, and
 *       {@code apply(Action)} for any of them; {@code enabledActions() -> List<Action>} (priority order: Decide,
 *       LockOnPol, PrecommitOnNilQuorum, PrevoteOnProposalWithPol, PrevoteOnProposal, RoundSkip (highest round first),
 *       NextHeight; never timeouts nor Propose); {@code fireEnabled() -> List<StepResult.Applied>};
 *       {@code requiredProposal() -> Optional<ValuePayload>} (the value the core must re-propose, if any);
 *       {@code isProposer()}, {@code ownKey() -> Optional<PublicKey>} (empty for an observer),
 *       {@code timeoutProposeArmed()}, {@code timeoutPrevoteArmed()},
 *       {@code timeoutPrecommitArmed()}; {@code snapshot() -> ConsensusSnapshot}; {@code decision(long height) ->
 *       Optional<Decision>}; {@code messageLog() -> List<SignedMessage>}; {@code height()}, {@code round()},
 *       {@code step()}.</li>
 *   <li>{@link dev.oasisj.core.consensus.Evidence}: {@code Evidence.of(ValidatorSet, Collection<SignedMessage>)};
 *       {@code equivocations()}, {@code amnesia()} (validator -> heights), {@code misbehaving()},
 *       {@code misbehavingPower()}, {@code isEmpty()}.</li>
 *   <li>{@link dev.oasisj.core.consensus.Decision}: {@code record Decision(long height, int round, Hash32 value, byte[]
 *       payload, List<SignedMessage> precommits)} (precommits: the quorum certificate, one per sender);
 *       {@link dev.oasisj.core.consensus.ConsensusSnapshot}: {@code record(height, round, step, lockedValue, lockedRound,
 *       validValue, validRound, SortedMap<Long, Hash32> decisions)}; {@link dev.oasisj.core.consensus.Step}:
 *       {@code PROPOSE, PREVOTE, PRECOMMIT, DECIDED}.</li>
 * </ul>
 *
 * <p>The core is single-threaded and mutable behind its methods; everything it returns is immutable. Propose: when
 * {@code validValue} is set the core accepts only {@code propose(validValue, itsPayload)} (see
 * {@code requiredProposal()}) and re-proposes it with {@code validRound}; a different value is NotEnabled, so the
 * broadcast message is exactly the spec's.
 */
package dev.oasisj.core.consensus;

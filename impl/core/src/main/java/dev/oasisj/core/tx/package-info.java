/**
 * The signed transaction envelope shared by every consensus service, and the registry that turns an envelope's body
 * into a typed value. Self-contained: nothing in the ledger, mempool, blocks or client uses it yet (the v1 transfer,
 * {@code dev.oasisj.core.ledger.Transaction}, is still what they carry); wiring it in is the next step.
 *
 * <h2>Public API</h2>
 * <ul>
 *   <li>{@link dev.oasisj.core.tx.SignedTransaction}: {@code record(String chainId, PublicKey signer, long nonce,
 *       Fee fee, String method, byte[] body, byte[] signature)} (validated at construction, arrays copied);
 *       {@code sign(Signer, chainId, nonce, Fee, method, body)}, {@code signingBytes()},
 *       {@code hasValidSignature()}, {@code hasValidSignature(DecodedKeyCache)}, {@code hash()},
 *       {@code encodedSizeBytes()},
 *       {@code SIGNING_DOMAIN = "oasisj/tx/v1"}.</li>
 *   <li>{@link dev.oasisj.core.tx.Fee}: {@code record(long amountBaseUnits, long gasLimit)}, both at least 0.</li>
 *   <li>{@link dev.oasisj.core.tx.SignedTransactionCodec}: {@code encode(SignedTransaction) -> byte[]},
 *       {@code decode(byte[]) throws DecodeException} (one encoding per envelope; signature not checked),
 *       {@code VERSION = 2}.</li>
 *   <li>{@link dev.oasisj.core.tx.TxLimits}: {@code MAX_CHAIN_ID_BYTES}, {@code MIN_METHOD_NAME_CHARS},
 *       {@code MAX_METHOD_NAME_CHARS}, {@code MAX_BODY_BYTES}, {@code MAX_ENVELOPE_BYTES}.</li>
 *   <li>{@link dev.oasisj.core.tx.MethodName}: {@code isValid(String)}, {@code problem(String)}.</li>
 *   <li>{@link dev.oasisj.core.tx.BodyCodec}: {@code encode(T) -> byte[]}, {@code decode(byte[]) -> T throws
 *       DecodeException}; {@link dev.oasisj.core.tx.TxMethod}: {@code record(String name, BodyCodec<T> codec, int
 *       maxBodyBytes)}, {@code bodyOf(TxDecodeResult) -> Optional<T>}.</li>
 *   <li>{@link dev.oasisj.core.tx.MethodRegistry}: {@code register(TxMethod<?>)} (a duplicate name throws),
 *       {@code method(String)}, {@code methodNames()}, {@code decode(SignedTransaction) -> TxDecodeResult}
 *       ({@code Decoded<T>(transaction, method, body)} | {@code Rejected(transaction, TxRejectReason, detail)}).</li>
 * </ul>
 *
 * <h2>Structural and semantic checks</h2>
 * This package and the body codecs decide only whether bytes are a well-formed envelope and a well-formed body of the
 * named method. Everything that needs the chain's state or the method's meaning (the signature against the chain's
 * rules, the chain id, the signer's next nonce, whether the fee is enough and payable, a positive transfer amount) is
 * the ledger's and the service's.
 */
package dev.oasisj.core.tx;

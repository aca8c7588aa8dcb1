package dev.oasisj.core.consensus;

import dev.oasisj.core.codec.Writer;
import dev.oasisj.core.crypto.PublicKey;
import dev.oasisj.core.crypto.Signer;
import java.util.Arrays;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * A consensus message with its sender's Ed25519 public key and signature. The signature covers
 * {@link #signingBytes(String, ConsensusMessage)}: a domain-separation prefix, the chain id and the canonical message
 * encoding, so a signature cannot be replayed on another chain nor as another kind of signed object.
 */
public record SignedMessage(ConsensusMessage message, PublicKey signer, byte[] signature) {
    /** Domain separation: no other signed object of the project starts with these bytes. */
    public static final String DOMAIN = "oasisj/consensus-message/v1";

    public SignedMessage {
        signature = signature.clone();
    }

    public static SignedMessage sign(String chainId, ConsensusMessage message, Signer signer) {
        return new SignedMessage(message, signer.publicKey(), signer.sign(signingBytes(chainId, message)));
    }

    /** The bytes that are signed: prefix, chain id, message. */
    public static byte[] signingBytes(String chainId, ConsensusMessage message) {
        Writer w = new Writer().string(DOMAIN).string(chainId);
        ConsensusMessageCodec.writeMessage(w, message);
        return w.toBytes();
    }

    /** True only if {@link #signature} is {@link #signer}'s valid signature of the message on this chain. */
    public boolean verify(String chainId) {
        return signer.verify(signingBytes(chainId, message), signature);
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }

    @Override
    public boolean equals(@Nullable Object o) {
        return o instanceof SignedMessage s && s.message.equals(message) && s.signer.equals(signer)
                && Arrays.equals(s.signature, signature);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(message, signer, Arrays.hashCode(signature));
    }

    @Override
    public String toString() {
        return "Signed[" + signer.shortId() + ": " + message + "]";
    }
}

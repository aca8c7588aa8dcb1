package dev.oasisj.core.tx;

import dev.oasisj.core.crypto.Signer;
import dev.oasisj.core.staking.Transfer;
import dev.oasisj.core.staking.TransferCodec;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * Fixtures for the envelope tests: named keys, a typical envelope, one with every field at its bound, random valid
 * envelopes from a seed, and {@link Raw}, an encoder written from the documented layout with {@link ByteBuffer} (not
 * with the production {@code Writer}), which can also write what the codec must refuse.
 */
final class Envelopes {
    private Envelopes() {}

    static final String CHAIN = "oasisj-test";
    static final Signer ALICE = Signer.deterministic("alice", 0);
    static final Signer BOB = Signer.deterministic("bob", 0);
    static final Signer CAROL = Signer.deterministic("carol", 0);
    static final Signer[] SIGNERS = {ALICE, BOB, CAROL};

    /** alice pays bob 5 with nonce 7 and fee 100 for up to 1,000 gas. */
    static SignedTransaction typical() {
        return SignedTransaction.sign(ALICE, CHAIN, 7, new Fee(100, 1_000), "staking.Transfer",
                TransferCodec.INSTANCE.encode(new Transfer(BOB.publicKey(), 5)));
    }

    static String methodOfLength(int chars) {
        return "a." + "B".repeat(chars - 2);
    }

    /** Chain id, method and body at their largest, numbers at Long.MAX_VALUE: encodes to MAX_ENVELOPE_BYTES. */
    static SignedTransaction atEveryBound() {
        byte[] body = new byte[TxLimits.MAX_BODY_BYTES];
        new SplittableRandom(1).nextBytes(body);
        return SignedTransaction.sign(ALICE, "c".repeat(TxLimits.MAX_CHAIN_ID_BYTES), Long.MAX_VALUE,
                new Fee(Long.MAX_VALUE, Long.MAX_VALUE), methodOfLength(TxLimits.MAX_METHOD_NAME_CHARS), body);
    }

    private static final String LOWER = "abcdefghijklmnopqrstuvwxyz";
    private static final String UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    private static final String DIGITS = "0123456789";

    /** A random name of the grammar, 3..64 characters. */
    static String randomMethod(SplittableRandom random) {
        int length = random.nextInt(TxLimits.MIN_METHOD_NAME_CHARS, TxLimits.MAX_METHOD_NAME_CHARS + 1);
        int serviceChars = random.nextInt(1, length - 1); // leaves at least one character after the dot
        StringBuilder b = new StringBuilder();
        b.append(pick(random, LOWER));
        for (int i = 1; i < serviceChars; i++) {
            b.append(pick(random, LOWER + DIGITS));
        }
        b.append('.').append(pick(random, UPPER));
        while (b.length() < length) {
            b.append(pick(random, LOWER + UPPER + DIGITS));
        }
        return b.toString();
    }

    /** A random chain id of 1..64 UTF-8 bytes, mixing 1-, 2- and 3-byte characters. */
    static String randomChainId(SplittableRandom random) {
        int maxBytes = random.nextInt(1, TxLimits.MAX_CHAIN_ID_BYTES + 1);
        StringBuilder b = new StringBuilder();
        int bytes = 0;
        while (true) {
            String c = switch (random.nextInt(4)) {
                case 0 -> "\u00e9";
                case 1 -> "\u20ac";
                default -> String.valueOf(pick(random, LOWER + DIGITS + "-"));
            };
            int size = c.getBytes(StandardCharsets.UTF_8).length;
            if (bytes + size > maxBytes) {
                break;
            }
            b.append(c);
            bytes += size;
        }
        return b.length() == 0 ? "x" : b.toString();
    }

    /** A non-negative long, often at the edges. */
    static long randomQuantity(SplittableRandom random) {
        return switch (random.nextInt(5)) {
            case 0 -> 0;
            case 1 -> Long.MAX_VALUE;
            case 2 -> random.nextLong(1_000);
            default -> random.nextLong(Long.MAX_VALUE);
        };
    }

    /** A random valid envelope; about one in ten has a body near the largest. */
    static SignedTransaction random(SplittableRandom random) {
        int bodyLength = random.nextInt(10) == 0
                ? random.nextInt(TxLimits.MAX_BODY_BYTES - 64, TxLimits.MAX_BODY_BYTES + 1)
                : random.nextInt(0, 200);
        byte[] body = new byte[bodyLength];
        random.nextBytes(body);
        return SignedTransaction.sign(SIGNERS[random.nextInt(SIGNERS.length)], randomChainId(random),
                randomQuantity(random), new Fee(randomQuantity(random), randomQuantity(random)),
                randomMethod(random), body);
    }

    private static char pick(SplittableRandom random, String from) {
        return from.charAt(random.nextInt(from.length()));
    }

    /** The fields of an envelope as raw bytes, each freely settable, written in the documented layout. */
    static final class Raw {
        int version = SignedTransactionCodec.VERSION;
        byte[] chainId;
        byte[] signer;
        long nonce;
        long feeAmount;
        long gasLimit;
        byte[] method;
        byte[] body;
        byte[] signature;
        byte[] trailing = new byte[0];
        /** When set, written instead of the true length of the field. */
        Integer chainIdLength;
        Integer methodLength;
        Integer bodyLength;

        static Raw of(SignedTransaction tx) {
            Raw raw = new Raw();
            raw.chainId = tx.chainId().getBytes(StandardCharsets.UTF_8);
            raw.signer = tx.signer().toBytes();
            raw.nonce = tx.nonce();
            raw.feeAmount = tx.fee().amountBaseUnits();
            raw.gasLimit = tx.fee().gasLimit();
            raw.method = tx.method().getBytes(StandardCharsets.US_ASCII);
            raw.body = tx.body();
            raw.signature = tx.signature();
            return raw;
        }

        /** Every field but version and signature, as the envelope lays them out. */
        byte[] fields() {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            writeLengthPrefixed(out, chainId, chainIdLength);
            out.writeBytes(signer);
            out.writeBytes(ByteBuffer.allocate(24).putLong(nonce).putLong(feeAmount).putLong(gasLimit).array());
            writeLengthPrefixed(out, method, methodLength);
            writeLengthPrefixed(out, body, bodyLength);
            return out.toByteArray();
        }

        byte[] encoding() {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(version);
            out.writeBytes(fields());
            out.writeBytes(signature);
            out.writeBytes(trailing);
            return out.toByteArray();
        }

        /** The documented signing bytes: length-prefixed "oasisj/tx/v1", then the fields. */
        byte[] signingBytes() {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            writeLengthPrefixed(out, "oasisj/tx/v1".getBytes(StandardCharsets.US_ASCII), null);
            out.writeBytes(fields());
            return out.toByteArray();
        }

        private static void writeLengthPrefixed(ByteArrayOutputStream out, byte[] value, Integer length) {
            out.writeBytes(ByteBuffer.allocate(4).putInt(length != null ? length : value.length).array());
            out.writeBytes(value);
        }
    }
}

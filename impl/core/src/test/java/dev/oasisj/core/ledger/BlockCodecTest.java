package dev.oasisj.core.ledger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oasisj.core.codec.DecodeException;
import dev.oasisj.core.codec.Writer;
import dev.oasisj.core.crypto.Hash32;
import dev.oasisj.core.crypto.Signer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class BlockCodecTest {
    private final Signer alice = TestChains.key("alice");
    private final Signer bob = TestChains.key("bob");
    private final Signer v1 = TestChains.key("v1");

    private Block sample() {
        List<byte[]> txs = new ArrayList<>();
        for (int n = 0; n < 3; n++) {
            txs.add(TransactionCodec.encode(Transaction.sign(alice, TestChains.CHAIN, bob.publicKey(), 5, 1, n)));
        }
        Commit commit = new Commit(2, List.of(new Commit.Signature(v1.publicKey(), v1.sign(new byte[] {1}))));
        return new Block(7, Hash32.sha256(new byte[] {9}), v1.publicKey(), txs, commit, Hash32.sha256(new byte[] {3}));
    }

    @Test
    void encodeThenDecodeGivesAnEqualBlockWithTheSameHash() throws DecodeException {
        Block b = sample();
        byte[] bytes = BlockCodec.encode(b);
        Block back = BlockCodec.decode(bytes);
        assertEquals(b, back);
        assertEquals(b.hash(), back.hash());
        assertArrayEquals(bytes, BlockCodec.encode(back));
    }

    @Test
    void encodedSizeIsTheLengthOfTheEncoding() {
        assertEquals(BlockCodec.encode(sample()).length, BlockCodec.encodedSize(sample()));
        Block empty = new Block(1, Hash32.ZERO, v1.publicKey(), List.of(), Commit.GENESIS, Hash32.ZERO);
        assertEquals(BlockCodec.encode(empty).length, BlockCodec.encodedSize(empty));
        List<byte[]> odd = List.of(new byte[0], new byte[] {1}, new byte[300]);
        Commit two = new Commit(0, List.of(new Commit.Signature(v1.publicKey(), v1.sign(new byte[] {1})),
                new Commit.Signature(alice.publicKey(), alice.sign(new byte[] {2}))));
        Block b = new Block(2, Hash32.ZERO, v1.publicKey(), odd, two, Hash32.ZERO);
        assertEquals(BlockCodec.encode(b).length, BlockCodec.encodedSize(b));
    }

    @Test
    void everyTruncationIsRejected() {
        byte[] bytes = BlockCodec.encode(sample());
        for (int n = 0; n < bytes.length; n++) {
            byte[] cut = Arrays.copyOf(bytes, n);
            assertThrows(DecodeException.class, () -> BlockCodec.decode(cut), "length " + n);
        }
    }

    @Test
    void trailingBytesAndOversizedInputAreRejected() {
        byte[] bytes = BlockCodec.encode(sample());
        byte[] longer = Arrays.copyOf(bytes, bytes.length + 1);
        assertTrue(assertThrows(DecodeException.class, () -> BlockCodec.decode(longer)).getMessage()
                .contains("trailing"));
        byte[] huge = new byte[LedgerLimits.MAX_BLOCK_BYTES + 1];
        assertTrue(assertThrows(DecodeException.class, () -> BlockCodec.decode(huge)).getMessage()
                .contains("exceeds the limit"));
    }

    @Test
    void aTransactionCountAboveTheLimitIsRejectedBeforeReadingTransactions() {
        Block empty = new Block(1, Hash32.ZERO, v1.publicKey(), List.of(), Commit.GENESIS, Hash32.ZERO);
        byte[] bytes = BlockCodec.encode(empty);
        // the last 4 bytes are the transaction count: claim one more than allowed
        byte[] count = new Writer().i32(LedgerLimits.MAX_BLOCK_TRANSACTIONS + 1).toBytes();
        System.arraycopy(count, 0, bytes, bytes.length - 4, 4);
        assertTrue(assertThrows(DecodeException.class, () -> BlockCodec.decode(bytes)).getMessage()
                .contains("count"));
    }

    @Test
    void heightZeroIsRejected() {
        byte[] bytes = BlockCodec.encode(sample());
        Arrays.fill(bytes, 1, 9, (byte) 0);
        assertTrue(assertThrows(DecodeException.class, () -> BlockCodec.decode(bytes)).getMessage()
                .contains("height"));
    }

    @Test
    void theHashCoversEveryField() {
        Block b = sample();
        List<byte[]> fewer = b.transactions().subList(0, 2);
        assertNotEquals(b.hash(), new Block(8, b.previousBlockHash(), b.proposer(), b.transactions(), b.lastCommit(),
                b.stateRoot()).hash());
        assertNotEquals(b.hash(), new Block(7, Hash32.ZERO, b.proposer(), b.transactions(), b.lastCommit(),
                b.stateRoot()).hash());
        assertNotEquals(b.hash(), new Block(7, b.previousBlockHash(), alice.publicKey(), b.transactions(),
                b.lastCommit(), b.stateRoot()).hash());
        assertNotEquals(b.hash(), new Block(7, b.previousBlockHash(), b.proposer(), fewer, b.lastCommit(),
                b.stateRoot()).hash());
        assertNotEquals(b.hash(), new Block(7, b.previousBlockHash(), b.proposer(), b.transactions(), Commit.GENESIS,
                b.stateRoot()).hash());
        assertNotEquals(b.hash(), new Block(7, b.previousBlockHash(), b.proposer(), b.transactions(), b.lastCommit(),
                Hash32.ZERO).hash());
    }
}

package dev.oasisj.core.tx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oasisj.core.codec.DecodeException;
import dev.oasisj.core.crypto.PublicKey;
import dev.oasisj.core.staking.StakingMethods;
import dev.oasisj.core.staking.Transfer;
import dev.oasisj.core.staking.TransferCodec;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The first real body, {@code staking.Transfer}: structural decoding only, the semantic rules left to the service. */
class StakingTransferBodyTest {
    private static final TransferCodec CODEC = TransferCodec.INSTANCE;

    private static byte[] layout(byte[] to, long amount) {
        return ByteBuffer.allocate(40).put(to).putLong(amount).array();
    }

    @Test
    void randomTransfers_roundTrip_asTheKeyThenTheBigEndianAmount() throws DecodeException {
        SplittableRandom random = new SplittableRandom(40);
        for (int i = 0; i < 300; i++) {
            byte[] key = new byte[32];
            random.nextBytes(key);
            long amount = Envelopes.randomQuantity(random);
            Transfer transfer = new Transfer(PublicKey.of(key), amount);
            byte[] bytes = CODEC.encode(transfer);
            assertArrayEquals(layout(key, amount), bytes, transfer.toString());
            assertEquals(transfer, CODEC.decode(bytes));
        }
        assertEquals(40, Transfer.ENCODED_SIZE_BYTES);
    }

    @Test
    void aZeroAmountDecodes_becauseRefusingItIsTheServicesRule() throws DecodeException {
        byte[] to = Envelopes.BOB.publicKey().toBytes();
        assertEquals(0, CODEC.decode(layout(to, 0)).amountBaseUnits());
        assertEquals(Long.MAX_VALUE, CODEC.decode(layout(to, Long.MAX_VALUE)).amountBaseUnits());
    }

    @Test
    void aNegativeAmount_isNotATransfer() {
        byte[] to = Envelopes.BOB.publicKey().toBytes();
        for (long amount : new long[] {-1, Long.MIN_VALUE}) {
            DecodeException e = assertThrows(DecodeException.class, () -> CODEC.decode(layout(to, amount)));
            assertTrue(e.getMessage().startsWith("transfer.amount: negative"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> new Transfer(Envelopes.BOB.publicKey(), amount));
        }
    }

    @Test
    void aShortOrLongBody_isRefusedNamingTheField() {
        byte[] valid = layout(Envelopes.BOB.publicKey().toBytes(), 5);
        for (int n = 0; n < 40; n++) {
            byte[] cut = Arrays.copyOf(valid, n);
            DecodeException e = assertThrows(DecodeException.class, () -> CODEC.decode(cut));
            String field = n < 32 ? "transfer.to" : "transfer.amount";
            assertTrue(e.getMessage().startsWith(field) && e.getMessage().contains("truncated"), e.getMessage());
        }
        DecodeException e = assertThrows(DecodeException.class, () -> CODEC.decode(Arrays.copyOf(valid, 41)));
        assertEquals("transfer: 1 trailing bytes", e.getMessage());
    }

    @Test
    void stakingDeclaresTransferWithItsExactBodySize() {
        assertEquals("staking.Transfer", StakingMethods.TRANSFER.name());
        assertEquals(Transfer.ENCODED_SIZE_BYTES, StakingMethods.TRANSFER.maxBodyBytes());
        assertEquals(CODEC, StakingMethods.TRANSFER.codec());
        assertEquals(List.of(StakingMethods.ADD_ESCROW, StakingMethods.RECLAIM_ESCROW, StakingMethods.TRANSFER),
                StakingMethods.ALL);
    }
}

package dev.oasisj.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.oasisj.cli.LocalnetSetup;
import dev.oasisj.core.Invariant;
import dev.oasisj.core.app.Application;
import dev.oasisj.core.app.BlockContext;
import dev.oasisj.core.app.Misbehaviour;
import dev.oasisj.core.app.StateEntry;
import dev.oasisj.core.crypto.Signer;
import dev.oasisj.core.ledger.SignatureVerdict;
import dev.oasisj.core.services.ServicesApplication;
import dev.oasisj.core.staking.AddEscrow;
import dev.oasisj.core.staking.ReclaimEscrow;
import dev.oasisj.core.staking.StakingMethods;
import dev.oasisj.core.tx.Fee;
import dev.oasisj.core.tx.SignedTransaction;
import dev.oasisj.core.tx.SignedTransactionCodec;
import dev.oasisj.core.tx.TxMethod;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * Restoring the consensus services from a snapshot a peer sent (state sync): the entries are hostile. A base snapshot
 * (the local services genesis after escrow, a reclaim in debonding, double-signing evidence and two signers of the
 * epoch: every namespace populated) is edited by the fuzzer: entries dropped, values replaced or flipped, keys
 * replaced, entries added; then, as state sync delivers them, sorted by key with one entry per key. Properties:
 * <ul>
 *   <li>{@code restore} returns, or refuses with one of the exceptions state sync catches
 *       ({@code IllegalArgumentException}, {@code ArithmeticException}, {@code Invariant.ViolationException}); any other
 *       exception would stop the node that received the snapshot;</li>
 *   <li>an accepted snapshot is canonical: the restored state's own snapshot is exactly the entries given (so its root
 *       is a function of them, and two nodes restoring the same snapshot agree).</li>
 * </ul>
 */
class ServicesSnapshotFuzzTest {
    private static final List<StateEntry> BASE = baseEntries();

    private static <T> byte[] tx(Signer signer, long nonce, TxMethod<T> method, T body) {
        return SignedTransactionCodec.encode(SignedTransaction.sign(signer, ServicesProgram.CHAIN, nonce, new Fee(1, 0),
                method.name(), method.codec().encode(body)));
    }

    private static List<StateEntry> baseEntries() {
        ServicesApplication app = (ServicesApplication) ServicesProgram.FACTORY.genesis();
        Signer account = LocalnetSetup.accountKey(0, ServicesProgram.SEED);
        Signer entity = LocalnetSetup.entityKey(1, ServicesProgram.SEED);
        app.checkTx(tx(account, 0, StakingMethods.ADD_ESCROW, new AddEscrow(entity.publicKey(), 500)),
                SignatureVerdict.NOT_CHECKED);
        commit(app, 1, List.of());
        app.checkTx(tx(account, 1, StakingMethods.RECLAIM_ESCROW, new ReclaimEscrow(entity.publicKey(), 200)),
                SignatureVerdict.NOT_CHECKED);
        commit(app, 2, List.of(new Misbehaviour(LocalnetSetup.validatorKey(2, ServicesProgram.SEED).publicKey(), 1, 0,
                "prevote")));
        return app.snapshot().entries();
    }

    private static void commit(ServicesApplication app, long height, List<Misbehaviour> evidence) {
        // validators 0 and 1 signed the previous block: the epoch's signers are part of the state
        Application.Proposal p = app.prepareProposal(new BlockContext(height,
                LocalnetSetup.validatorKey(0, ServicesProgram.SEED).publicKey(), evidence,
                List.of(LocalnetSetup.validatorKey(0, ServicesProgram.SEED).publicKey(),
                        LocalnetSetup.validatorKey(1, ServicesProgram.SEED).publicKey())), 100, 1 << 20);
        app.finalizeBlock(p.staged());
    }

    @FuzzTest
    void restore(FuzzedDataProvider data) {
        List<StateEntry> entries = new ArrayList<>(BASE);
        int edits = data.consumeInt(0, 4);
        for (int e = 0; e < edits && !entries.isEmpty(); e++) {
            int i = data.consumeInt(0, entries.size() - 1);
            StateEntry at = entries.get(i);
            switch (data.consumeInt(0, 4)) {
                case 0 -> entries.remove(i);
                case 1 -> entries.set(i, new StateEntry(at.key(),
                        data.consumeBytes(data.consumeInt(0, StateEntry.MAX_VALUE_BYTES))));
                case 2 -> {
                    byte[] v = at.value();
                    if (v.length > 0) {
                        v[data.consumeInt(0, v.length - 1)] ^= (byte) data.consumeInt(1, 255);
                    }
                    entries.set(i, new StateEntry(at.key(), v));
                }
                case 3 -> {
                    byte[] k = at.key();
                    if (data.consumeBoolean() && k.length > 0) {
                        k[data.consumeInt(0, k.length - 1)] ^= (byte) data.consumeInt(1, 255);
                    } else {
                        k = data.consumeBytes(data.consumeInt(0, StateEntry.MAX_KEY_BYTES));
                    }
                    entries.set(i, new StateEntry(k, at.value()));
                }
                default -> entries.add(new StateEntry(data.consumeBytes(data.consumeInt(0, StateEntry.MAX_KEY_BYTES)),
                        data.consumeBytes(data.consumeInt(0, StateEntry.MAX_VALUE_BYTES))));
            }
        }
        // as state sync delivers them: ascending keys, one entry per key
        TreeMap<byte[], StateEntry> byKey = new TreeMap<>(java.util.Arrays::compareUnsigned);
        for (StateEntry entry : entries) {
            byKey.putIfAbsent(entry.key(), entry);
        }
        List<StateEntry> delivered = new ArrayList<>(byKey.values());
        Application restored;
        try {
            restored = ServicesProgram.FACTORY.restore(delivered);
        } catch (IllegalArgumentException | ArithmeticException | Invariant.ViolationException refused) {
            return;
        }
        List<StateEntry> again = restored.snapshot().entries();
        for (int i = 0; i < Math.min(delivered.size(), again.size()); i++) {
            StateEntry given = delivered.get(i);
            StateEntry restoredEntry = again.get(i);
            int index = i;
            assertEquals(given, restoredEntry, () -> "an accepted snapshot restores to other entries: entry " + index
                    + " was " + hex(given) + ", is " + hex(restoredEntry));
        }
        assertEquals(delivered.size(), again.size(), "an accepted snapshot restores to another number of entries");
    }

    private static String hex(StateEntry e) {
        return java.util.HexFormat.of().formatHex(e.key()) + " -> " + java.util.HexFormat.of().formatHex(e.value());
    }
}

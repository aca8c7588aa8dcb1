package dev.oasisj.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * A short program of transactions, chosen by the fuzzer, applied one by one to a ledger built from
 * {@link FuzzFixtures#GENESIS}; every step is checked against an independent model of the ledger
 * ({@link LedgerProgram}): a rejection leaves the state root unchanged and names the first documented rule that fails;
 * an application conserves the total supply, advances the sender's nonce by one and moves exactly amount + fee.
 */
class TransactionHandlingFuzzTest {

    @FuzzTest
    void applyProgram(FuzzedDataProvider data) {
        new LedgerProgram().run(data);
    }
}

package dev.oasisj.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * The consensus services' transaction handling under fuzzer-chosen programs ({@link ServicesProgram}): raw bytes and
 * signed calls of every method, blocks with evidence, epoch transitions every two blocks. One target per service
 * (its signed calls only) and one for all of them.
 */
class ServicesHandlingFuzzTest {
    @FuzzTest
    void services(FuzzedDataProvider data) {
        new ServicesProgram(null).run(data);
    }

    @FuzzTest
    void staking(FuzzedDataProvider data) {
        new ServicesProgram("staking").run(data);
    }

    @FuzzTest
    void registry(FuzzedDataProvider data) {
        new ServicesProgram("registry").run(data);
    }

    @FuzzTest
    void beacon(FuzzedDataProvider data) {
        new ServicesProgram("beacon").run(data);
    }
}

package dev.oasisj.core.ledger;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import org.junit.jupiter.api.Test;

/**
 * The ledger and node cores must be deterministic (DESIGN.md "a pure core"): no clocks, no threads, no unseeded
 * randomness, no hash-ordered collections, no floating point. Checked on the compiled classes.
 */
class DeterminismRulesTest {
    private static final JavaClasses CORE = new ClassFileImporter()
            // the predefined DO_NOT_INCLUDE_TESTS expects target/test-classes; builds here use target-<suffix>/
            .withImportOption(location -> !location.contains("/test-classes/"))
            .importPackages("dev.oasisj.core.ledger", "dev.oasisj.core.node");

    @Test
    void coresReadNoClockAndStartNoThread() {
        noClasses().should().callMethod(System.class, "currentTimeMillis")
                .orShould().callMethod(System.class, "nanoTime")
                .orShould().callMethod(java.time.Instant.class, "now")
                .orShould().dependOnClassesThat().areAssignableTo(Thread.class)
                .orShould().dependOnClassesThat().areAssignableTo(java.util.concurrent.Executor.class)
                .check(CORE);
    }

    @Test
    void coresUseNoRandomnessNorHashOrderedCollections() {
        noClasses().should().dependOnClassesThat().areAssignableTo(java.util.Random.class)
                .orShould().dependOnClassesThat().areAssignableTo(java.util.HashMap.class)
                .orShould().dependOnClassesThat().areAssignableTo(java.util.HashSet.class)
                .check(CORE);
    }

    @Test
    void coresUseNoFloatingPoint() {
        noClasses().should().dependOnClassesThat().areAssignableTo(double.class)
                .orShould().dependOnClassesThat().areAssignableTo(float.class)
                .orShould().dependOnClassesThat().areAssignableTo(Double.class)
                .orShould().dependOnClassesThat().areAssignableTo(Float.class)
                .check(CORE);
    }
}

package dev.oasisj.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import dev.oasisj.core.node.ByzantineValidator;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The deterministic state machines that live in this module (the Byzantine validator and the evidence-recording node,
 * package {@code dev.oasisj.core.node}) obey the cores' determinism rules ({@link DeterminismRulesTest}, core's
 * test-jar): a simulation replays only if they do.
 */
class SimCoresDeterminismTest {
    @Test
    void thisModulesCoreClassesBreakNoDeterminismRule() throws URISyntaxException {
        Path home = Path.of(ByzantineValidator.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        JavaClasses classes = new ClassFileImporter().importPath(home)
                .that(com.tngtech.archunit.base.DescribedPredicate.describe("in dev.oasisj.core..",
                        c -> c.getPackageName().startsWith("dev.oasisj.core")));
        assertTrue(classes.contain(ByzantineValidator.class), "nothing imported from " + home);
        assertTrue(classes.contain(dev.oasisj.core.node.EvidenceRecordingNode.class));
        StringBuilder failures = new StringBuilder();
        for (Map.Entry<String, ArchRule> e : DeterminismRulesTest.rules("dev.oasisj.core..").entrySet()) {
            EvaluationResult result = e.getValue().evaluate(classes);
            if (result.hasViolation()) {
                failures.append(e.getKey()).append(": ").append(result.getFailureReport()).append('\n');
            }
        }
        assertEquals("", failures.toString());
    }
}

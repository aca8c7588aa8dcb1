package dev.oasisj.core;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The deterministic cores ({@code dev.oasisj.core..}) read no clock, draw no unseeded randomness, start no thread, use
 * no parallel stream, no hash-ordered {@code HashMap}/{@code HashSet}, and do not depend on the shell
 * ({@code dev.oasisj.node..}, {@code dev.oasisj.cli..}). DESIGN.md "a pure core in a thin shell", STYLE.md ban list.
 * Each rule is also evaluated on a fixture class that breaks it ({@code dev.oasisj.archfixture}), and must fail there,
 * so no rule is vacuous.
 */
class DeterminismRulesTest {
    private static final String CORE = "dev.oasisj.core..";

    private static final JavaClasses CORE_CLASSES = new ClassFileImporter()
            // the predefined DO_NOT_INCLUDE_TESTS expects target/test-classes; builds here use target-<suffix>/
            .withImportOption(location -> !location.contains("/test-classes/"))
            .importPackages("dev.oasisj.core");

    private static final JavaClasses FIXTURE = new ClassFileImporter().importPackages("dev.oasisj.archfixture");

    private static DescribedPredicate<JavaMethodCall> callTo(Class<?> owner, String... names) {
        Set<String> wanted = Set.of(names);
        return DescribedPredicate.describe("a call to " + owner.getSimpleName() + "." + String.join("|", names),
                call -> call.getTargetOwner().isAssignableTo(owner) && wanted.contains(call.getName()));
    }

    /** The rules, by name, for classes in {@code packagePattern}. */
    static Map<String, ArchRule> rules(String packagePattern) {
        Map<String, ArchRule> rules = new LinkedHashMap<>();
        rules.put("currentTimeMillis", noClasses().that().resideInAPackage(packagePattern).should()
                .callMethod(System.class, "currentTimeMillis"));
        rules.put("nanoTime", noClasses().that().resideInAPackage(packagePattern).should()
                .callMethod(System.class, "nanoTime"));
        rules.put("Instant.now", noClasses().that().resideInAPackage(packagePattern).should()
                .callMethodWhere(callTo(java.time.Instant.class, "now")));
        rules.put("LocalDateTime.now", noClasses().that().resideInAPackage(packagePattern).should()
                .callMethodWhere(callTo(java.time.LocalDateTime.class, "now")));
        rules.put("Clock", noClasses().that().resideInAPackage(packagePattern).should()
                .dependOnClassesThat().areAssignableTo(java.time.Clock.class));
        rules.put("new Random()", noClasses().that().resideInAPackage(packagePattern).should()
                .callConstructor(java.util.Random.class));
        rules.put("SecureRandom", noClasses().that().resideInAPackage(packagePattern).should()
                .dependOnClassesThat().areAssignableTo(java.security.SecureRandom.class));
        rules.put("ThreadLocalRandom", noClasses().that().resideInAPackage(packagePattern).should()
                .dependOnClassesThat().areAssignableTo(java.util.concurrent.ThreadLocalRandom.class));
        rules.put("Math.random", noClasses().that().resideInAPackage(packagePattern).should()
                .callMethod(Math.class, "random"));
        rules.put("Thread", noClasses().that().resideInAPackage(packagePattern).should()
                .dependOnClassesThat().areAssignableTo(Thread.class));
        rules.put("ExecutorService", noClasses().that().resideInAPackage(packagePattern).should()
                .dependOnClassesThat().areAssignableTo(java.util.concurrent.ExecutorService.class)
                .orShould().dependOnClassesThat().belongToAnyOf(java.util.concurrent.Executors.class));
        rules.put("CompletableFuture", noClasses().that().resideInAPackage(packagePattern).should()
                .dependOnClassesThat().areAssignableTo(java.util.concurrent.CompletableFuture.class));
        rules.put("parallelStream", noClasses().that().resideInAPackage(packagePattern).should()
                .callMethodWhere(callTo(java.util.Collection.class, "parallelStream")));
        rules.put("BaseStream.parallel", noClasses().that().resideInAPackage(packagePattern).should()
                .callMethodWhere(callTo(java.util.stream.BaseStream.class, "parallel")));
        rules.put("HashMap", noClasses().that().resideInAPackage(packagePattern).should()
                .dependOnClassesThat().belongToAnyOf(java.util.HashMap.class));
        rules.put("HashSet", noClasses().that().resideInAPackage(packagePattern).should()
                .dependOnClassesThat().belongToAnyOf(java.util.HashSet.class));
        rules.put("shell", noClasses().that().resideInAPackage(packagePattern).should()
                .dependOnClassesThat().resideInAnyPackage("dev.oasisj.node..", "dev.oasisj.cli.."));
        return rules;
    }

    @Test
    void theCorePackagesBreakNoDeterminismRule() {
        StringBuilder failures = new StringBuilder();
        for (Map.Entry<String, ArchRule> e : rules(CORE).entrySet()) {
            EvaluationResult result = e.getValue().evaluate(CORE_CLASSES);
            if (result.hasViolation()) {
                failures.append(e.getKey()).append(": ").append(result.getFailureReport()).append('\n');
            }
        }
        assertEquals("", failures.toString());
    }

    @Test
    void everyRuleFailsOnAClassThatBreaksIt() {
        assertFalse(FIXTURE.isEmpty(), "the fixture was not imported");
        for (Map.Entry<String, ArchRule> e : rules("dev.oasisj.archfixture..").entrySet()) {
            assertTrue(e.getValue().evaluate(FIXTURE).hasViolation(), "rule " + e.getKey() + " did not bite");
        }
    }

    @Test
    void theCoreImportIsNotEmpty_soTheRulesCheckSomething() {
        assertTrue(CORE_CLASSES.contain(dev.oasisj.core.consensus.ConsensusCore.class));
        assertFalse(CORE_CLASSES.contain(DeterminismRulesTest.class), "test classes are not part of the core");
        assertEquals(17, rules(CORE).size());
    }
}

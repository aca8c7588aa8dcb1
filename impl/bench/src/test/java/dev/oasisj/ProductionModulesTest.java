package dev.oasisj;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.Location;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The production modules (oasisj-core, oasisj-node, oasisj-cli) ship no test-only behaviour: no Byzantine validator,
 * simulator, test double, embedded localnet or benchmark class, and no reference to a class of oasisj-sim or
 * oasisj-bench. The poms already make such a reference a compile error (cli does not depend on sim or bench); this test
 * documents the rule and also catches a test-only class moved back into a production module. It runs here because this
 * module's classpath holds every module (as the launcher's does).
 */
class ProductionModulesTest {
    /**
     * Names of test-only behaviour; no production class may have one (nor depend on a class that has one). The node
     * config's "byzantine" section (NodeConfig.Byzantine) is production: oasis node reads it to refuse it without sim.
     */
    static final Pattern TEST_ONLY = Pattern.compile("(?!dev\\.oasisj\\.node\\.NodeConfig\\$Byzantine$)"
            + ".*(Byzantine|Simulat|Lockstep|ManualClock|InMemoryJournal|EvidenceRecordingNode|LocalnetRun"
            + "|LocalnetCommand|LocalnetProcesses|SimCommands|BenchCommand).*|dev\\.oasisj\\.bench\\..*");

    /** Where the class {@code c} was loaded from: its module's classes directory or jar. */
    static Path home(Class<?> c) {
        try {
            return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new AssertionError(e);
        }
    }

    /** One class of each production module (core, node, cli). */
    static final List<Class<?>> PRODUCTION = List.of(dev.oasisj.core.Invariant.class, dev.oasisj.node.NodeAgent.class,
            dev.oasisj.cli.Main.class);
    /** One class of each test-only module (sim, bench). */
    static final List<Class<?>> TEST_ONLY_MODULES = List.of(dev.oasisj.core.node.ByzantineValidator.class,
            dev.oasisj.bench.ConsensusBench.class);

    /** The classes of the modules of {@code marks}: a classes directory (mvn test) or a jar (mvn verify). */
    static JavaClasses importModules(List<Class<?>> marks) {
        List<Location> locations = new ArrayList<>();
        for (Class<?> mark : marks) {
            Path home = home(mark);
            try {
                locations.add(Files.isDirectory(home) ? Location.of(home) : Location.of(new JarFile(home.toFile())));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return new ClassFileImporter().importLocations(locations);
    }

    @Test
    void theModulesAreSeparate() {
        Set<Path> homes = PRODUCTION.stream().map(ProductionModulesTest::home).collect(Collectors.toSet());
        assertEquals(3, homes.size(), "core, node and cli come from three places: " + homes);
        for (Class<?> c : TEST_ONLY_MODULES) {
            assertFalse(homes.contains(home(c)), c + " is in a production module: " + home(c));
        }
    }

    @Test
    void productionHoldsNoTestOnlyClass() {
        JavaClasses production = importModules(PRODUCTION);
        assertTrue(production.size() > 300, "the production modules were not imported: " + production.size());
        List<String> testOnly = production.stream().map(JavaClass::getName)
                .filter(n -> TEST_ONLY.matcher(n).matches()).sorted().toList();
        assertEquals(List.of(), testOnly, "test-only classes in a production module (core, node, cli); they belong in "
                + "oasisj-sim or oasisj-bench");
    }

    @Test
    void productionDependsOnNoTestOnlyClass() {
        JavaClasses production = importModules(PRODUCTION);
        Set<String> simAndBench = importModules(TEST_ONLY_MODULES).stream().map(JavaClass::getName)
                .collect(Collectors.toSet());
        assertTrue(simAndBench.contains(dev.oasisj.cli.SimCommands.class.getName()), "sim was not imported");
        noClasses().should().dependOnClassesThat(DescribedPredicate.describe("are in oasisj-sim or oasisj-bench, or "
                + "are named like test-only behaviour", c -> simAndBench.contains(c.getName())
                        || TEST_ONLY.matcher(c.getName()).matches()))
                .check(production);
    }
}

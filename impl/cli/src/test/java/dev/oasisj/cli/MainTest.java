package dev.oasisj.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {
    @TempDir
    Path dir;

    /** Exit code, stdout and stderr of one CLI run. */
    record Result(int exitCode, String out, String err) {}

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Result(code, out.toString(), err.toString());
    }

    /** Every subcommand of the full launcher (the production ones plus those of oasisj-sim and oasisj-bench). */
    static final List<String> SUBCOMMANDS = List.of("localnet", "simulate", "node", "keygen", "genesis", "tx", "status", "query",
            "bench", "model-check", "fuzz", "mutation");
    /** The subcommands that come from the test-only modules (sim, bench) through {@link CommandProvider}. */
    static final List<String> PROVIDED = List.of("localnet", "simulate", "bench");

    /**
     * Checks that {@code --help} lists exactly {@code names}, in that order, each with a description, and exits 0.
     */
    static void assertHelpLists(List<String> names) {
        Result r = run("--help");
        assertEquals(0, r.exitCode());
        // A command's line starts with two spaces and its name; a wrapped description continues on deeper-indented lines.
        List<String> commandLines = r.out().lines().dropWhile(l -> !l.equals("Commands:")).skip(1)
                .filter(l -> l.matches("^  \\S.*")).toList();
        assertEquals(names.size(), commandLines.size(), "one entry per subcommand:\n" + r.out());
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            String line = commandLines.get(i).strip();
            assertTrue(line.startsWith(name + " ") && line.length() > name.length() + 10,
                    "--help does not list '" + name + "' with a description at position " + i + ":\n" + r.out());
        }
    }

    /** The production command line alone (this module's classpath): no localnet, simulate or bench. */
    @Test
    void help_listsEveryProductionSubcommandWithADescription_andNoTestOnlyOne() {
        assertHelpLists(SUBCOMMANDS.stream().filter(n -> !PROVIDED.contains(n)).toList());
        for (String name : PROVIDED) {
            Result r = run(name);
            assertEquals(2, r.exitCode(), name + " must not exist without its module:\n" + r.out());
            assertTrue(r.err().contains("Unmatched argument"), name + ": " + r.err());
        }
    }

    @Test
    void txHelp_listsTransfer() {
        Result r = run("tx", "--help");
        assertEquals(0, r.exitCode());
        assertTrue(r.out().contains("transfer"), r.out());
    }

    @Test
    void badOptionValue_exits2() {
        // localnet's and simulate's bad values: SimCommandsTest (oasisj-sim)
        assertEquals(2, run("status", "--node", "localhost").exitCode(), "HOST:PORT needs a port");
    }

    @Test
    void noSubcommand_showsUsageAndExits2() {
        Result r = run();
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("keygen"), r.err());
    }

    @Test
    void commandsTheLauncherRunsElsewhere_sayWhereOnStderr_andExit2() {
        for (String name : List.of("model-check", "fuzz", "mutation")) {
            Result r = run(name, "consensus");
            assertEquals(2, r.exitCode(), name);
            assertTrue(r.err().contains("run it through the ./oasis launcher"), name + ": " + r.err());
            assertEquals("", r.out(), name + " must not print anything that looks like a result");
        }
    }

    @Test
    void keygen_writesAHexSeedReadableOnlyByTheOwner_andRefusesToOverwrite() throws Exception {
        Path key = dir.resolve("k.key");
        Result r = run("keygen", "--out", key.toString());
        assertEquals(0, r.exitCode(), r.err());
        String seed = Files.readString(key, StandardCharsets.US_ASCII).strip();
        assertTrue(seed.matches("[0-9a-f]{64}"), seed);
        assertEquals(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE),
                Files.getPosixFilePermissions(key));
        String publicKey = KeyFiles.read(key).publicKey().toHex();
        assertTrue(r.out().contains("public key: " + publicKey), r.out());

        Result again = run("keygen", "--out", key.toString());
        assertEquals(1, again.exitCode());
        assertTrue(again.err().contains("refusing to overwrite"), again.err());
        assertEquals(seed, Files.readString(key, StandardCharsets.US_ASCII).strip(), "the key must be unchanged");
    }

    @Test
    void keygen_twice_givesDifferentKeys() throws Exception {
        run("keygen", "--out", dir.resolve("a").toString());
        run("keygen", "--out", dir.resolve("b").toString());
        assertTrue(!Files.readString(dir.resolve("a")).equals(Files.readString(dir.resolve("b"))));
    }

    @Test
    void genesis_writesAGenesisThatParsesBack_withKeyFilesMatchingIt() throws Exception {
        Path file = dir.resolve("genesis.json");
        Result r = run("genesis", "--out", file.toString(), "--validators", "3", "--accounts", "2", "--seed", "5",
                "--key-dir", dir.resolve("keys").toString());
        assertEquals(0, r.exitCode(), r.err());
        dev.oasisj.core.ledger.Genesis g = dev.oasisj.core.ledger.Genesis.fromJson(Files.readString(file));
        assertEquals(3, g.validators().size());
        assertEquals(2, g.accounts().size());
        assertEquals(g.validators().get(2).publicKey(),
                KeyFiles.read(dir.resolve("keys/validator-2.key")).publicKey());
        assertEquals(1, run("genesis", "--out", file.toString()).exitCode(), "refuses to overwrite");
    }

    @Test
    void txTransfer_withAMalformedRecipient_exits2() throws Exception {
        Path key = dir.resolve("k");
        run("keygen", "--out", key.toString());
        Result r = run("tx", "transfer", "--node", "127.0.0.1:1", "--key", key.toString(), "--to", "zz", "--amount",
                "5", "--fee", "1", "--nonce", "0");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("--to"), r.err());
    }

    @Test
    void status_ofANodeThatIsNotThere_exits1WithAMessage() throws Exception {
        int freePort;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            freePort = s.getLocalPort();
        }
        Result r = run("status", "--node", "127.0.0.1:" + freePort);
        assertEquals(1, r.exitCode());
        assertTrue(r.err().contains("cannot reach"), r.err());
    }
}

package dev.oasisj.archfixture;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Deliberately breaks every determinism rule, so that DeterminismRulesTest can prove each rule fails on a violation.
 * Never used by production code; it lives outside {@code dev.oasisj.core}.
 */
@SuppressWarnings("unused")
public final class DeterminismViolations {
    private dev.oasisj.node.ShellStandIn shellClock;
    private dev.oasisj.cli.CliStandIn cli;

    public long time() {
        return System.currentTimeMillis();
    }

    public long nanos() {
        return System.nanoTime();
    }

    public Instant now() {
        return Instant.now();
    }

    public LocalDateTime localNow() {
        return LocalDateTime.now();
    }

    public Clock clock() {
        return Clock.systemUTC();
    }

    public int random() {
        return new Random().nextInt();
    }

    public int secureRandom() {
        return new SecureRandom().nextInt();
    }

    public int threadLocalRandom() {
        return ThreadLocalRandom.current().nextInt();
    }

    public double mathRandom() {
        return Math.random();
    }

    public void thread() {
        new Thread(() -> { }).start();
    }

    public ExecutorService executor() {
        return Executors.newSingleThreadExecutor();
    }

    public CompletableFuture<String> future() {
        return CompletableFuture.completedFuture("x");
    }

    public long parallelStream(List<Integer> xs) {
        return xs.parallelStream().count();
    }

    public long parallel(List<Integer> xs) {
        return xs.stream().parallel().count();
    }

    public int hashMap() {
        return new HashMap<String, String>().size();
    }

    public int hashSet() {
        return new HashSet<String>().size();
    }
}

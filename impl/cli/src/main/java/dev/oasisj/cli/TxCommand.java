package dev.oasisj.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code oasis tx ...}: build, sign and submit transactions. */
@Command(name = "tx", mixinStandardHelpOptions = true,
        description = {"Sign and submit transactions.",
                "transfer: the transfer ledger's transfer (a chain without services).",
                "The others are signed envelopes of the consensus services (a genesis with services): send "
                        + "(staking.Transfer), escrow, reclaim, register-entity, register-node, deregister-node, "
                        + "register-runtime, beacon-proof."},
        subcommands = {TransferCommand.class, ServiceTxCommands.Send.class, ServiceTxCommands.Escrow.class,
                ServiceTxCommands.Reclaim.class, ServiceTxCommands.RegisterEntityCommand.class,
                ServiceTxCommands.RegisterNodeCommand.class, ServiceTxCommands.DeregisterNodeCommand.class,
                ServiceTxCommands.RegisterRuntimeCommand.class, ServiceTxCommands.BeaconProofCommand.class})
final class TxCommand implements java.util.concurrent.Callable<Integer> {
    @Spec
    @SuppressWarnings("initialization.field.uninitialized")
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return picocli.CommandLine.ExitCode.USAGE;
    }
}

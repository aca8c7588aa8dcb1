package dev.oasisj.cli;

import dev.oasisj.node.PeerAddress;
import picocli.CommandLine;

/** Lets picocli parse {@code HOST:PORT} options, so a malformed one is a usage error (exit 2) with a clear message. */
final class PeerAddressConverter implements CommandLine.ITypeConverter<PeerAddress> {
    @Override
    public PeerAddress convert(String value) {
        try {
            return PeerAddress.parse(value);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(String.valueOf(e.getMessage()));
        }
    }
}

package dev.oasisj.core.services;

import dev.oasisj.core.app.ApplicationFactory;
import dev.oasisj.core.ledger.Genesis;
import dev.oasisj.core.ledger.TransferApplication;

/** The application a genesis document asks for: the consensus services when it has a {@code services} section. */
public final class ChainApplications {
    private ChainApplications() {}

    /**
     * The services application ({@link ServicesApplication}) when {@code genesis} has a {@code services} section, the
     * transfer ledger ({@link TransferApplication}) otherwise.
     *
     * @throws dev.oasisj.core.ledger.InvalidGenesisException when the services section is invalid
     */
    public static ApplicationFactory factory(Genesis genesis) {
        return genesis.hasServices() ? ServicesApplication.factory(genesis) : TransferApplication.factory(genesis);
    }
}

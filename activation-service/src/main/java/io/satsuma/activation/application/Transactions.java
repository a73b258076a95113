package io.satsuma.activation.application;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.function.Supplier;

/**
 * Short transactions around the database steps of a lane, so that no HTTP call ever runs inside one: claim (commit),
 * call the channel (no transaction), record (commit).
 */
@ApplicationScoped
public class Transactions {

    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public <T> T inNew(Supplier<T> work) {
        return work.get();
    }

    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void runInNew(Runnable work) {
        work.run();
    }
}

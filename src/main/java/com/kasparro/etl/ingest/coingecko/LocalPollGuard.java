package com.kasparro.etl.ingest.coingecko;

import java.util.concurrent.atomic.AtomicBoolean;
import org.springframework.stereotype.Component;

/** One poll at a time within this process. */
@Component
public class LocalPollGuard implements PollGuard {

    private final AtomicBoolean running = new AtomicBoolean();

    @Override
    public boolean tryAcquire() {
        return running.compareAndSet(false, true);
    }

    @Override
    public void release() {
        running.set(false);
    }
}

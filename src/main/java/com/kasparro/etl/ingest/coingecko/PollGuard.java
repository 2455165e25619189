package com.kasparro.etl.ingest.coingecko;

/**
 * The no-overlap rule of CoinGecko polls, whoever starts them (Quartz tick, start-up poll, admin
 * trigger). A separate bean so that a cluster-wide guard (e.g. a database lock) can replace the
 * in-process one without touching the route.
 */
public interface PollGuard {

    /** Takes the guard if it is free; never waits. */
    boolean tryAcquire();

    /** Frees the guard taken by a successful {@link #tryAcquire()}. */
    void release();
}

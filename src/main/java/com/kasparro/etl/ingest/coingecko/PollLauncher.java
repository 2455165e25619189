package com.kasparro.etl.ingest.coingecko;

import java.util.OptionalLong;

/** Starts a CoinGecko poll on demand (the admin trigger), under the same no-overlap guard as the timer. */
public interface PollLauncher {

    /**
     * Starts a poll now on another thread and returns the id of its run once the run row exists,
     * or empty when a poll is already running (on this replica or, when clustered, any other).
     *
     * @param trigger what started it, stored in {@code etl_runs.trigger} (e.g. "manual")
     */
    OptionalLong launch(String trigger);
}

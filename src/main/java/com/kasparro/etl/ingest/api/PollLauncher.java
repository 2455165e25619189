package com.kasparro.etl.ingest.api;

import java.util.OptionalLong;

/** Starts a poll of a json-api source on demand (the admin trigger), under the same no-overlap guard as its schedule. */
public interface PollLauncher {

    /**
     * Starts a poll now on another thread and returns the id of its run once the run row exists,
     * or empty when a poll of the source is already running (on this replica or any other).
     *
     * @param source  an enabled json-api source
     * @param trigger what started it, stored in {@code etl_runs.trigger} (e.g. "manual")
     * @throws IllegalArgumentException when the source is not an enabled json-api source
     */
    OptionalLong launch(String source, String trigger);

    /** Whether {@link #launch} can poll the source: an enabled json-api source. */
    boolean canPoll(String source);

    /** A json-api source that is configured but disabled. */
    boolean isDisabled(String source);
}

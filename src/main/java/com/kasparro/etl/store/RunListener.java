package com.kasparro.etl.store;

import java.time.Duration;

/** Told by {@link RunRepository} each time a run ends (for the metrics), after the row says so. */
public interface RunListener {

    void runFinished(long runId, String source, String status, Duration duration);
}

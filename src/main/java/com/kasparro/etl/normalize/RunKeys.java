package com.kasparro.etl.normalize;

/** Names every source route uses for a run's context: exchange properties and MDC keys. */
public final class RunKeys {

    /** Exchange property: the source being ingested. */
    public static final String SOURCE = "etl.source";
    /** Exchange property: the id of the run in {@code etl_runs}. */
    public static final String RUN_ID = "etl.runId";
    /** Exchange property: the input file's size in bytes (null for API polls). */
    public static final String FILE_SIZE = "etl.fileSize";
    /** MDC keys on every log line of a run. */
    public static final String MDC_SOURCE = "etl.source";
    public static final String MDC_RUN_ID = "etl.run_id";

    private RunKeys() {
    }
}

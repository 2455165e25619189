package com.kasparro.etl.normalize;

import org.apache.camel.Exchange;
import org.slf4j.MDC;

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

    /**
     * Puts the run's source and id from the exchange into the MDC of the current thread. A file's
     * batches run on writer-pool threads (and the run's last steps on whichever finished last),
     * where the MDC set on the poll thread is not: Camel's MDC logging (keys pattern {@code etl.*})
     * did not carry these keys to the split's pool threads (seen in InboxIngestionTest).
     */
    public static void restoreMdc(Exchange exchange) {
        String source = exchange.getProperty(SOURCE, String.class);
        Object runId = exchange.getProperty(RUN_ID);
        if (source != null) {
            MDC.put(MDC_SOURCE, source);
        }
        if (runId != null) {
            MDC.put(MDC_RUN_ID, runId.toString());
        }
    }
}

package com.kasparro.etl.observe;

import org.slf4j.MDC;

/** The run's source and id on every log line of a run (the console pattern prints both). */
public final class RunMdc {

    public static final String SOURCE = "etl.source";
    public static final String RUN_ID = "etl.run_id";

    private RunMdc() {
    }

    public static void source(String source) {
        MDC.put(SOURCE, source);
        MDC.remove(RUN_ID);
    }

    public static void run(String source, long runId) {
        MDC.put(SOURCE, source);
        MDC.put(RUN_ID, Long.toString(runId));
    }

    public static void clear() {
        MDC.remove(SOURCE);
        MDC.remove(RUN_ID);
    }
}

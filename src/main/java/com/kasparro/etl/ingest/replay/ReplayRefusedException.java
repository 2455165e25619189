package com.kasparro.etl.ingest.replay;

/**
 * A replay that cannot start: the run asked for does not exist (in that source), it kept no header,
 * or a replay of the source is already running.
 */
public class ReplayRefusedException extends RuntimeException {

    /** Why: the HTTP layer answers 404 for the first, 409 for the others. */
    public enum Reason { NO_SUCH_RUN, NO_HEADER, RUNNING }

    private final Reason reason;

    public ReplayRefusedException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}

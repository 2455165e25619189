package com.kasparro.etl.ingest.inbox;

import com.kasparro.etl.util.Causes;
import com.kasparro.etl.ingest.csv.InvalidFileException;

/** The message a failed run records: the most telling cause, not Camel's wrapper. */
public final class Errors {

    private Errors() {
    }

    public static String describe(Throwable error) {
        if (error == null) {
            return "unknown error";
        }
        Throwable root = error;
        for (Throwable t = error; t != null; t = Causes.next(t)) {
            if (t instanceof InvalidFileException) {
                return t.getMessage();
            }
            root = t;
        }
        String message = root.getMessage();
        return root.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}

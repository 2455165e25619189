package com.kasparro.etl.ingest.api;

/** The response is not the JSON array of coins we expect; its message is the run's error. */
public class MalformedPayloadException extends RuntimeException {

    public MalformedPayloadException(String message) {
        super(message);
    }

    public MalformedPayloadException(String message, Throwable cause) {
        super(message, cause);
    }
}

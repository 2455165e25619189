package com.kasparro.etl.ingest.csv;

/** A file that can never be processed as it is: it goes to {@code .error/} with this reason. */
public class InvalidFileException extends RuntimeException {

    public InvalidFileException(String message) {
        super(message);
    }
}

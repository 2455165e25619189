package com.kasparro.etl.source;

/** A source entry that cannot work; the message starts with the property path at fault. */
public class InvalidSourceException extends RuntimeException {

    private final String property;

    public InvalidSourceException(String property, String problem) {
        super(property + ": " + problem);
        this.property = property;
    }

    public String property() {
        return property;
    }
}

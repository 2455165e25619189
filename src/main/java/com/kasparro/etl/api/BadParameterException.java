package com.kasparro.etl.api;

/** A request parameter that cannot be used: answered 400 problem+json naming it. */
public class BadParameterException extends RuntimeException {

    public BadParameterException(String detail) {
        super(detail);
    }
}

package com.kasparro.etl.api;

/** No such run or record: answered 404 problem+json. */
public class NotFoundException extends RuntimeException {

    public NotFoundException(String detail) {
        super(detail);
    }
}

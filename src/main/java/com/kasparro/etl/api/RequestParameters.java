package com.kasparro.etl.api;

import java.util.Collection;
import java.util.List;
import org.apache.camel.Exchange;

/**
 * Reads and checks query and path parameters. platform-http hands both over as message headers;
 * an empty value ({@code ?source=}) counts as absent, as clients of the original system send it.
 */
final class RequestParameters {

    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 1000;
    static final List<String> RUN_STATUSES = List.of("running", "success", "failed");

    private final Exchange exchange;

    RequestParameters(Exchange exchange) {
        this.exchange = exchange;
    }

    String text(String name) {
        Object value = exchange.getIn().getHeader(name);
        if (value instanceof Collection<?> values) {
            throw new BadParameterException(name + " must be given at most once");
        }
        String text = value == null ? null : value.toString().trim();
        return text == null || text.isEmpty() ? null : text;
    }

    int limit() {
        String text = text("limit");
        if (text == null) {
            return DEFAULT_LIMIT;
        }
        try {
            int limit = Integer.parseInt(text);
            if (limit >= 1 && limit <= MAX_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new BadParameterException("limit must be an integer from 1 to " + MAX_LIMIT);
    }

    long offset() {
        String text = text("offset");
        if (text == null) {
            return 0;
        }
        try {
            long offset = Long.parseLong(text);
            if (offset >= 0) {
                return offset;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new BadParameterException("offset must be an integer of 0 or more");
    }

    /** An id: a positive integer, or absent (null) when optional. */
    Long id(String name, boolean required) {
        String text = text(name);
        if (text == null) {
            if (required) {
                throw new BadParameterException(name + " is required");
            }
            return null;
        }
        try {
            long id = Long.parseLong(text);
            if (id > 0) {
                return id;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new BadParameterException(name + " must be a positive integer");
    }

    /** One of {@code allowed}, or null when absent. */
    String oneOf(String name, Collection<String> allowed) {
        String text = text(name);
        if (text != null && !allowed.contains(text)) {
            throw new BadParameterException(name + " must be one of " + String.join(", ", allowed));
        }
        return text;
    }
}

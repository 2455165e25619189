package com.kasparro.etl.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;

/** RFC 9457 problem+json answers, so that an error is never an HTML page or a stack trace. */
public final class Problems {

    public static final String PROBLEM_JSON = "application/problem+json";

    private Problems() {
    }

    public static void respond(Exchange exchange, int status, String contentType, String body) {
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, contentType);
        exchange.getMessage().setBody(body);
    }

    public static void problem(Exchange exchange, ObjectMapper json, int status, String title, String detail)
            throws Exception {
        respond(exchange, status, PROBLEM_JSON, body(json, status, title, detail));
    }

    /** The problem document itself, for answers written outside a route (a servlet filter). */
    public static String body(ObjectMapper json, int status, String title, String detail)
            throws JsonProcessingException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "about:blank");
        body.put("title", title);
        body.put("status", status);
        if (detail != null) {
            body.put("detail", detail);
        }
        return json.writeValueAsString(body);
    }

    /** An {@code onException} step: the caught exception's message is the problem's detail. */
    public static Processor withMessage(ObjectMapper json, int status, String title) {
        return exchange -> {
            Throwable error = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
            problem(exchange, json, status, title, error == null ? null : error.getMessage());
        };
    }

    /**
     * A route's last {@code onException} step: the failure is logged with its stack trace and
     * answered 500 with the exception's class name only (a message could carry SQL or data).
     */
    public static Processor unexpected(ObjectMapper json, Logger log) {
        return exchange -> {
            Throwable error = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
            log.error("{} {} failed", exchange.getIn().getHeader(Exchange.HTTP_METHOD),
                    exchange.getIn().getHeader(Exchange.HTTP_URI), error);
            problem(exchange, json, 500, "Internal Server Error", error == null ? null : error.getClass().getSimpleName());
        };
    }

    /** An {@code onException} step: answers with the caught exception's message, no stack trace. */
    public static Processor responder(ObjectMapper json, int status, String title) {
        return exchange -> {
            Throwable error = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
            problem(exchange, json, status, title, error == null ? null : error.getClass().getSimpleName());
        };
    }
}

package com.kasparro.etl.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

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

    /** An {@code onException} step: answers with the caught exception's message, no stack trace. */
    public static Processor responder(ObjectMapper json, int status, String title) {
        return exchange -> {
            Throwable error = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
            problem(exchange, json, status, title, error == null ? null : error.getClass().getSimpleName());
        };
    }
}

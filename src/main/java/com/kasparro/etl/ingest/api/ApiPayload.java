package com.kasparro.etl.ingest.api;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.filter.FilteringParserDelegate;
import com.fasterxml.jackson.core.filter.JsonPointerBasedFilter;
import com.fasterxml.jackson.core.filter.TokenFilter;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;

/**
 * The first, read-only pass over a json-api body: the array of items (the body itself, or the
 * array at the source's {@code items} pointer) must be there and the body well-formed. Counts the
 * items and adds each to the poll's structural signature, one item tree at a time, so that a
 * malformed payload fails the run before anything of the page is written.
 */
public final class ApiPayload {

    private ApiPayload() {
    }

    /** @return how many items the page holds */
    public static int inspect(byte[] body, String contentType, ObjectMapper mapper, String itemsPointer,
                              SchemaSignature signature) {
        String expected = "expected a JSON array of items" + (itemsPointer.isEmpty() ? "" : " at " + itemsPointer);
        int first = firstSignificantByte(body);
        if (first < 0) {
            throw new MalformedPayloadException(expected + ", got an empty body");
        }
        if (first == '<' || (contentType != null && contentType.toLowerCase(Locale.ROOT).contains("html"))) {
            throw new MalformedPayloadException(expected + ", got HTML"
                    + (contentType == null ? "" : " (Content-Type " + contentType + ")"));
        }
        int count = 0;
        try (JsonParser parser = items(mapper.getFactory().createParser(body), itemsPointer)) {
            JsonToken token = parser.nextToken();
            if (token != JsonToken.START_ARRAY) {
                throw new MalformedPayloadException(expected + ", got " + describe(token));
            }
            while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
                if (token == null) {
                    throw new MalformedPayloadException(
                            "truncated JSON: the array of items is not closed (" + count + " elements read)");
                }
                JsonNode element = mapper.readTree(parser);
                signature.add(element);
                count++;
            }
            if (itemsPointer.isEmpty() && parser.nextToken() != null) {
                throw new MalformedPayloadException("invalid JSON: unexpected content after the array at "
                        + where(parser.currentTokenLocation()));
            }
            if (!itemsPointer.isEmpty()) {
                while (parser.nextToken() != null) {
                    // The rest of the body must be well-formed too; the filter reports nothing of it.
                }
            }
        } catch (JsonEOFException e) {
            throw new MalformedPayloadException("truncated JSON: unexpected end of input after " + count
                    + " elements, at " + where(e.getLocation()), e);
        } catch (JsonProcessingException e) {
            throw new MalformedPayloadException("invalid JSON at " + where(e.getLocation()) + ": "
                    + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // reading a byte[]: does not happen
        }
        return count;
    }

    /**
     * The parser over the items' array: the body's own parser, or one that streams only the
     * subtree at the pointer (Jackson's filter keeps the byte offsets of the body).
     */
    static JsonParser items(JsonParser body, String itemsPointer) {
        if (itemsPointer.isEmpty()) {
            return body;
        }
        return new FilteringParserDelegate(body, new JsonPointerBasedFilter(JsonPointer.compile(itemsPointer)),
                TokenFilter.Inclusion.ONLY_INCLUDE_ALL, false);
    }

    static String describe(JsonToken token) {
        if (token == null) {
            return "nothing";
        }
        return switch (token) {
            case START_OBJECT -> "a JSON object";
            case VALUE_STRING -> "a JSON string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a JSON number";
            case VALUE_TRUE, VALUE_FALSE -> "a JSON boolean";
            case VALUE_NULL -> "JSON null";
            default -> token.toString();
        };
    }

    static String where(JsonLocation location) {
        return location == null ? "an unknown position"
                : "line " + location.getLineNr() + ", column " + location.getColumnNr();
    }

    /** The first byte that is not whitespace or a UTF-8 byte order mark, or -1. */
    static int firstSignificantByte(byte[] body) {
        int i = 0;
        if (body.length >= 3 && (body[0] & 0xff) == 0xEF && (body[1] & 0xff) == 0xBB && (body[2] & 0xff) == 0xBF) {
            i = 3;
        }
        for (; i < body.length; i++) {
            byte b = body[i];
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
                return b & 0xff;
            }
        }
        return -1;
    }
}

package com.kasparro.etl.ingest.coingecko;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;

/**
 * The first, read-only pass over a {@code /coins/list} body: it must be one JSON array. Counts the
 * elements and builds the structural signature, one element tree at a time, so that a malformed
 * payload fails the run before anything is written.
 */
public final class CoinPayload {

    private CoinPayload() {
    }

    public record Inspection(int itemCount, SchemaSignature signature) {
    }

    public static Inspection inspect(byte[] body, String contentType, ObjectMapper mapper) {
        int first = firstSignificantByte(body);
        if (first < 0) {
            throw new MalformedPayloadException("expected a JSON array of coins, got an empty body");
        }
        if (first == '<' || (contentType != null && contentType.toLowerCase(Locale.ROOT).contains("html"))) {
            throw new MalformedPayloadException("expected a JSON array of coins, got HTML"
                    + (contentType == null ? "" : " (Content-Type " + contentType + ")"));
        }
        SchemaSignature signature = new SchemaSignature();
        int count = 0;
        try (JsonParser parser = mapper.getFactory().createParser(body)) {
            JsonToken token = parser.nextToken();
            if (token != JsonToken.START_ARRAY) {
                throw new MalformedPayloadException("expected a JSON array of coins, got " + describe(token));
            }
            while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
                if (token == null) {
                    throw new MalformedPayloadException(
                            "truncated JSON: the array of coins is not closed (" + count + " elements read)");
                }
                JsonNode element = mapper.readTree(parser);
                signature.add(element);
                count++;
            }
            if (parser.nextToken() != null) {
                throw new MalformedPayloadException("invalid JSON: unexpected content after the array at "
                        + where(parser.currentTokenLocation()));
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
        return new Inspection(count, signature);
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

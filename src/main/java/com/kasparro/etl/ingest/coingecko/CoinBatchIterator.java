package com.kasparro.etl.ingest.coingecko;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.kasparro.etl.normalize.CandidateRecord;
import com.kasparro.etl.normalize.ControlCharacters;
import com.kasparro.etl.normalize.RecordBatch;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * The second pass over an inspected payload: streams the array's elements into {@link RecordBatch}es
 * of {@code batchSize}, one element tree at a time. {@code line} is the element's 1-based index;
 * the raw text is the element's exact bytes in the payload.
 */
public final class CoinBatchIterator implements Iterator<RecordBatch>, Closeable {

    private final byte[] payload;
    private final ObjectMapper mapper;
    private final String source;
    private final long runId;
    private final int batchSize;
    private final JsonParser parser;
    private long index;
    private boolean finished;
    private RecordBatch next;

    public CoinBatchIterator(byte[] payload, ObjectMapper mapper, String source, long runId, int batchSize) {
        this.payload = payload;
        this.mapper = mapper;
        this.source = source;
        this.runId = runId;
        this.batchSize = batchSize;
        try {
            this.parser = mapper.getFactory().createParser(payload);
            if (parser.nextToken() != JsonToken.START_ARRAY) {
                throw new MalformedPayloadException("expected a JSON array of coins");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public boolean hasNext() {
        if (next == null && !finished) {
            next = readBatch();
        }
        return next != null;
    }

    @Override
    public RecordBatch next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        RecordBatch batch = next;
        next = null;
        return batch;
    }

    private RecordBatch readBatch() {
        List<CandidateRecord> records = new ArrayList<>(batchSize);
        try {
            while (records.size() < batchSize) {
                JsonToken token = parser.nextToken();
                if (token == JsonToken.END_ARRAY || token == null) {
                    finished = true;
                    break;
                }
                int start = (int) parser.currentTokenLocation().getByteOffset();
                JsonNode element = mapper.readTree(parser);
                int end = (int) parser.currentLocation().getByteOffset();
                records.add(toCandidate(++index, element, start, end));
            }
        } catch (IOException e) {
            throw new MalformedPayloadException("invalid JSON after element " + index + ": " + e.getMessage(), e);
        }
        if (records.isEmpty()) {
            return null;
        }
        long bytesRead = parser.currentLocation().getByteOffset();
        return new RecordBatch(source, runId, null, null, index - records.size(), index, bytesRead, records);
    }

    private CandidateRecord toCandidate(long line, JsonNode element, int start, int end) {
        if (!element.isObject()) {
            String raw = element.toString();
            return new CandidateRecord(line, raw, null, null, null, null, null, null,
                    "element is not a JSON object (got " + SchemaSignature.typeOf(element) + ")");
        }
        String raw = start >= 0 && end > start && end <= payload.length
                ? new String(payload, start, end - start, StandardCharsets.UTF_8)
                : element.toString();
        JsonNode id = element.get("id");
        String defect = null;
        String externalId = null;
        if (id == null || id.isNull()) {
            defect = "id is missing";
        } else if (!id.isTextual()) {
            defect = "id is not a string (got " + SchemaSignature.typeOf(id) + ")";
        } else if (id.textValue().isBlank()) {
            defect = "id is empty";
        } else {
            externalId = id.textValue();
        }
        if (defect == null) {
            defect = controlCharacter(element, "");
        }
        return new CandidateRecord(line, raw, null, externalId, text(element.get("name")),
                text(element.get("symbol")), null, raw, defect);
    }

    /** "NUL character in field name" for the first string of the element that holds one, else null. */
    private static String controlCharacter(JsonNode node, String path) {
        if (node.isTextual()) {
            String control = ControlCharacters.describe(node.textValue());
            return control == null ? null : control + " in field " + (path.isEmpty() ? "(value)" : path);
        }
        if (node.isObject()) {
            for (var field : node.properties()) {
                String found = controlCharacter(field.getValue(),
                        path.isEmpty() ? field.getKey() : path + "." + field.getKey());
                if (found != null) {
                    return found;
                }
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                String found = controlCharacter(node.get(i), path + "[" + i + "]");
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    /** A string as is ("" stays ""), a number or boolean as its text, anything else null. */
    private static String text(JsonNode node) {
        if (node == null || node.isNull() || node.isContainerNode()) {
            return null;
        }
        return node.isTextual() ? node.textValue() : node.asText();
    }

    @Override
    public void close() throws IOException {
        parser.close();
    }
}

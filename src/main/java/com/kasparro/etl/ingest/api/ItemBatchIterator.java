package com.kasparro.etl.ingest.api;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.kasparro.etl.normalize.CandidateRecord;
import com.kasparro.etl.normalize.ControlCharacters;
import com.kasparro.etl.normalize.RecordBatch;
import com.kasparro.etl.source.FieldSpec;
import com.kasparro.etl.source.SourceSpec;
import com.kasparro.etl.source.UnifiedField;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * The second pass over an inspected page: streams its items into {@link RecordBatch}es of
 * {@code batchSize}, one item tree at a time, mapping each onto the unified fields by the source's
 * paths. {@code line} is the item's 1-based index in the poll (pages continue the count); the raw
 * text is the item's exact bytes in the payload.
 */
public final class ItemBatchIterator implements Iterator<RecordBatch>, Closeable {

    private final byte[] payload;
    private final ObjectMapper mapper;
    private final SourceSpec spec;
    private final long runId;
    private final int batchSize;
    private final JsonParser parser;
    private long index;
    private boolean finished;
    private RecordBatch next;

    /** @param itemsBefore the items of the poll's earlier pages: this page's first item is line itemsBefore + 1 */
    public ItemBatchIterator(byte[] payload, ObjectMapper mapper, SourceSpec spec, long runId, int batchSize,
                             long itemsBefore) {
        this(payload, spec.api().itemsPointer(), mapper, spec, runId, batchSize, itemsBefore);
    }

    /** As above, with the items at {@code itemsPointer} instead of the source's ("": the payload is the array). */
    public ItemBatchIterator(byte[] payload, String itemsPointer, ObjectMapper mapper, SourceSpec spec, long runId,
                             int batchSize, long itemsBefore) {
        this.payload = payload;
        this.mapper = mapper;
        this.spec = spec;
        this.runId = runId;
        this.batchSize = batchSize;
        this.index = itemsBefore;
        try {
            this.parser = ApiPayload.items(mapper.getFactory().createParser(payload), itemsPointer);
            if (parser.nextToken() != JsonToken.START_ARRAY) {
                throw new MalformedPayloadException("expected a JSON array of items");
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
        return new RecordBatch(spec.source(), runId, null, null, index - records.size(), index, bytesRead, records);
    }

    private CandidateRecord toCandidate(long line, JsonNode element, int start, int end) {
        if (!element.isObject()) {
            return new CandidateRecord(line, element.toString(), null, null, null,
                    "element is not a JSON object (got " + SchemaSignature.typeOf(element) + ")");
        }
        String raw = start >= 0 && end > start && end <= payload.length
                ? new String(payload, start, end - start, StandardCharsets.UTF_8)
                : element.toString();
        String[] fields = CandidateRecord.noFields();
        String defect = null;
        for (FieldSpec field : spec.fields()) {
            if (field.from() == null) {
                continue;
            }
            JsonNode node = at(element, field.from());
            if (field.target() == UnifiedField.EXTERNAL_ID) {
                defect = keyDefect(field.label(), node);
            }
            fields[field.target().ordinal()] = text(node);
        }
        if (defect == null) {
            defect = controlCharacter(element, "");
        }
        return new CandidateRecord(line, raw, null, fields, attributes(element, raw), defect);
    }

    /** A field name, or a JSON pointer ("/market_data/price") into the item. */
    private static JsonNode at(JsonNode element, String path) {
        JsonNode node = path.startsWith("/") ? element.at(path) : element.get(path);
        return node == null || node.isMissingNode() ? null : node;
    }

    /** The key must be a non-empty JSON string: a number or an object as a key is a malformed item. */
    private static String keyDefect(String label, JsonNode id) {
        if (id == null || id.isNull()) {
            return label + " is missing";
        }
        if (!id.isTextual()) {
            return label + " is not a string (got " + SchemaSignature.typeOf(id) + ")";
        }
        return id.textValue().isBlank() ? label + " is empty" : null;
    }

    private String attributes(JsonNode element, String raw) {
        if (spec.wholeItemAttributes()) {
            return raw;
        }
        ObjectNode unmapped = ((ObjectNode) element).deepCopy();
        spec.fields().stream().map(FieldSpec::from).filter(f -> f != null && !f.startsWith("/")).forEach(unmapped::remove);
        return unmapped.toString();
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

    /**
     * A string as is ("" stays ""), a number as its plain decimal text (JSON's {@code 1.2e-5} too),
     * a boolean as its text, anything else null.
     */
    private static String text(JsonNode node) {
        if (node == null || node.isNull() || node.isContainerNode()) {
            return null;
        }
        if (node.isNumber()) {
            return node.decimalValue().toPlainString();
        }
        return node.isTextual() ? node.textValue() : node.asText();
    }

    @Override
    public void close() throws IOException {
        parser.close();
    }
}

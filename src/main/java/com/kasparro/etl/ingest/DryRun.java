package com.kasparro.etl.ingest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.kasparro.etl.config.EtlProperties;
import com.kasparro.etl.ingest.api.ApiPayload;
import com.kasparro.etl.ingest.api.ItemBatchIterator;
import com.kasparro.etl.ingest.api.SchemaSignature;
import com.kasparro.etl.ingest.csv.CsvBatchReader;
import com.kasparro.etl.ingest.csv.CsvRowMapper;
import com.kasparro.etl.ingest.csv.InvalidFileException;
import com.kasparro.etl.normalize.RecordBatch;
import com.kasparro.etl.normalize.RecordValidator;
import com.kasparro.etl.source.SourceSpec;
import com.kasparro.etl.store.Batch;
import com.kasparro.etl.store.LaneCheckpoints;
import com.kasparro.etl.store.Rejection;
import com.kasparro.etl.store.UnifiedRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * What an input would do, written nowhere: the source's own reader and mapper, then the shared
 * validation step, exactly as a dropped file or a polled payload goes through them, without the
 * write step.
 */
@Component
public class DryRun {

    /** How many mapped records an answer shows. */
    public static final int PREVIEW = 100;

    private final RecordValidator validator;
    private final EtlProperties properties;
    private final ObjectMapper mapper;

    public DryRun(RecordValidator validator, EtlProperties properties, ObjectMapper mapper) {
        this.validator = validator;
        this.properties = properties;
        this.mapper = mapper;
    }

    /**
     * @param refused why the whole input would be refused (to {@code .error/} for a file, a failed
     *                run for a payload), or null
     */
    public record Outcome(String source, String refused, long rows, long valid, long rejected,
                          List<UnifiedRecord> records, List<Rejection> rejections) {
    }

    /** A csv source's file, or a json-api source's payload. */
    public Outcome of(SourceSpec source, byte[] body) throws IOException {
        Tally tally = new Tally(source.source());
        try {
            if (source.kind() == SourceSpec.Kind.CSV) {
                csv(source, body, tally);
            } else {
                json(source, body, tally);
            }
        } catch (InvalidFileException | com.kasparro.etl.ingest.api.MalformedPayloadException e) {
            return new Outcome(source.source(), e.getMessage(), 0, 0, 0, List.of(), List.of());
        }
        return tally.outcome();
    }

    private void csv(SourceSpec source, byte[] body, Tally tally) throws IOException {
        // The reader works on files (binary check, read-ahead): the body becomes one, briefly.
        Path file = Files.createTempFile("kasparro-dry-run-", ".csv");
        try {
            Files.write(file, body);
            try (CsvBatchReader reader = CsvBatchReader.open(file, CsvRowMapper.Factory.of(source),
                    new CsvBatchReader.RunContext(source.source(), 0, "dry-run", null), properties.batchSize(),
                    LaneCheckpoints.none(1), row -> 0,
                    CsvBatchReader.Limits.of(properties.inbox()), () -> false)) {
                tally.addAll(reader);
            }
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private void json(SourceSpec source, byte[] body, Tally tally) throws IOException {
        ApiPayload.inspect(body, null, mapper, source.api().itemsPointer(), new SchemaSignature());
        try (ItemBatchIterator items = new ItemBatchIterator(body, mapper, source, 0, properties.batchSize(), 0)) {
            tally.addAll(items);
        }
    }

    private final class Tally {
        private final String source;
        private final List<UnifiedRecord> records = new ArrayList<>();
        private final List<Rejection> rejections = new ArrayList<>();
        private long rows;
        private long valid;

        Tally(String source) {
            this.source = source;
        }

        void addAll(Iterator<RecordBatch> batches) {
            batches.forEachRemaining(recordBatch -> {
                Batch batch = validator.validate(recordBatch);
                rows += batch.read();
                valid += batch.valid().size();
                rejections.addAll(batch.rejected());
                batch.valid().stream().limit(Math.max(0, PREVIEW - records.size())).forEach(records::add);
            });
        }

        Outcome outcome() {
            return new Outcome(source, null, rows, valid, rejections.size(), records, rejections);
        }
    }
}

-- Kasparro ETL schema. Every table of the contract; Flyway is the only place with DDL.

-- One row per run of a source: a file, a CoinGecko poll, or an inbox rejection of an unknown file.
CREATE TABLE etl_runs (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    source           text        NOT NULL
                     CHECK (source IN ('coingecko_api', 'products_csv', 'vendors_csv', 'inbox')),
    status           text        NOT NULL DEFAULT 'running'
                     CHECK (status IN ('running', 'success', 'failed')),
    trigger          text        NOT NULL,            -- 'file', 'schedule', 'startup', 'manual'
    file_name        text,
    file_hash        text,                             -- sha256 of the file's bytes
    file_size        bigint,
    instance_id      text,                             -- which replica ran it
    started_at       timestamptz NOT NULL DEFAULT now(),
    finished_at      timestamptz,
    created_at       timestamptz NOT NULL DEFAULT now(),
    heartbeat_at     timestamptz NOT NULL DEFAULT now(),
    records_read     bigint      NOT NULL DEFAULT 0,
    records_inserted bigint      NOT NULL DEFAULT 0,
    records_updated  bigint      NOT NULL DEFAULT 0,
    records_skipped  bigint      NOT NULL DEFAULT 0,
    records_rejected bigint      NOT NULL DEFAULT 0,
    bytes_read       bigint      NOT NULL DEFAULT 0,
    resumed_from_line bigint,
    error_message    text,
    note             text,
    CONSTRAINT etl_runs_finished_iff_done CHECK ((status = 'running') = (finished_at IS NULL))
);
CREATE INDEX etl_runs_source_id_idx ON etl_runs (source, id DESC);
CREATE INDEX etl_runs_created_at_idx ON etl_runs (created_at DESC);
CREATE INDEX etl_runs_running_idx ON etl_runs (source) WHERE status = 'running';

-- One row per distinct API payload (the payload checkpoint's history).
CREATE TABLE raw_api_data (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    source       text        NOT NULL,
    run_id       bigint      NOT NULL REFERENCES etl_runs (id),
    payload_hash text        NOT NULL,
    payload      jsonb       NOT NULL,
    item_count   integer     NOT NULL,
    fetched_at   timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT raw_api_data_payload_uq UNIQUE (source, payload_hash)
);

-- Every CSV row as parsed (header -> value). No foreign key: it is the bulk table, written by
-- COPY in the same transaction as its run's progress, so the run always exists.
CREATE TABLE raw_csv_data (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    run_id      bigint      NOT NULL,
    source      text        NOT NULL,
    file_name   text        NOT NULL,
    line_number bigint      NOT NULL,
    row_data    jsonb       NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX raw_csv_data_run_idx ON raw_csv_data (run_id, line_number);

CREATE TABLE unified_records (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    source       text          NOT NULL,
    external_id  text          NOT NULL,
    name         text,
    category     text,
    value        numeric,
    attributes   jsonb         NOT NULL DEFAULT '{}'::jsonb,
    content_hash text          NOT NULL,
    first_run_id bigint        NOT NULL,
    last_run_id  bigint        NOT NULL,
    created_at   timestamptz   NOT NULL DEFAULT now(),
    updated_at   timestamptz   NOT NULL DEFAULT now(),
    CONSTRAINT unified_records_source_external_id_uq UNIQUE (source, external_id)
);
CREATE INDEX unified_records_source_id_idx ON unified_records (source, id);

-- Exact per-source record counts, kept in the same transactions as the upserts, so that
-- /stats never counts a large table.
CREATE TABLE source_stats (
    source       text   PRIMARY KEY,
    record_count bigint NOT NULL DEFAULT 0 CHECK (record_count >= 0)
);
INSERT INTO source_stats (source) VALUES ('coingecko_api'), ('products_csv'), ('vendors_csv');

-- Where each input stands: a CSV file by its content hash (last committed line), the API by the
-- hash of the last payload fully ingested.
CREATE TABLE ingestion_checkpoints (
    source         text        NOT NULL,
    checkpoint_key text        NOT NULL,
    file_name      text,
    last_line      bigint      NOT NULL DEFAULT 0,
    rows_read      bigint      NOT NULL DEFAULT 0,
    completed      boolean     NOT NULL DEFAULT false,
    marker         text        NOT NULL,
    run_id         bigint      NOT NULL,
    updated_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (source, checkpoint_key)
);
CREATE INDEX ingestion_checkpoints_source_updated_idx ON ingestion_checkpoints (source, updated_at DESC);

CREATE TABLE schema_snapshots (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    source         text        NOT NULL,
    run_id         bigint      REFERENCES etl_runs (id),
    signature      jsonb       NOT NULL,   -- {"field.path": "json type", ...}
    signature_hash text        NOT NULL,
    diff           jsonb,                  -- null for the baseline
    created_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX schema_snapshots_source_id_idx ON schema_snapshots (source, id DESC);

CREATE TABLE rejected_rows (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    run_id      bigint      NOT NULL REFERENCES etl_runs (id),
    source      text        NOT NULL,
    file_name   text,
    line_number bigint,
    raw_text    text        NOT NULL,
    reason      text        NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX rejected_rows_run_idx ON rejected_rows (run_id, line_number);
CREATE INDEX rejected_rows_source_id_idx ON rejected_rows (source, id DESC);

-- Per-batch staging for the set-based merge: filled by COPY, merged and emptied in the same
-- transaction. Unlogged: its rows never outlive a transaction, so WAL for them is waste.
CREATE UNLOGGED TABLE stage_records (
    batch_id     uuid    NOT NULL,
    line_number  bigint  NOT NULL,
    source       text    NOT NULL,
    external_id  text    NOT NULL,
    name         text,
    category     text,
    value        numeric,
    attributes   jsonb   NOT NULL,
    content_hash text    NOT NULL
);
CREATE INDEX stage_records_batch_idx ON stage_records (batch_id);

-- Camel's JdbcMessageIdRepository table (createTableIfNotExists=false): the keys of completed
-- inbox files, one repository (processorName) per source.
CREATE TABLE camel_messageprocessed (
    processorName varchar(255) NOT NULL,
    messageId     varchar(100) NOT NULL,
    createdAt     timestamp    NOT NULL,
    PRIMARY KEY (processorName, messageId)
);

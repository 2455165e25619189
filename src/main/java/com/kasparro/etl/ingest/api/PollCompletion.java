package com.kasparro.etl.ingest.api;

/** Every page of a poll is in: its run succeeds, as {@code sql/api-poll-succeeded.sql} writes it. */
public record PollCompletion(long runId, String note) {
}

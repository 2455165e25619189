package com.kasparro.etl.store;

/** An invalid row: where it starts, its exact text, and why it was refused. */
public record Rejection(long line, String rawText, String reason) {
}

package com.kasparro.etl.ingest.csv;

import java.nio.file.Path;

/** A file taken from the inbox for a source, known by the sha256 of its bytes. */
public record InboxFile(String source, String name, Path path, long size, String sha256) {
}

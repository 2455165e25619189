package com.kasparro.etl.ingest.csv;

import com.kasparro.etl.ingest.inbox.Arrivals.Arrival;
import java.nio.file.Path;

/**
 * A file taken from the inbox for a source, known by the sha256 of its bytes.
 *
 * @param arrival   its place in the order of the inbox's files: its content never overwrites that of
 *                  a file of its source that arrived after it
 * @param overtakes an earlier file of its source is still in the inbox (waiting, or loading elsewhere)
 */
public record InboxFile(String source, String name, Path path, long size, String sha256, Arrival arrival,
                        boolean overtakes) {
}

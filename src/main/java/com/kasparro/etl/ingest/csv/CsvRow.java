package com.kasparro.etl.ingest.csv;

import java.util.List;

/**
 * One CSV record as it stands in the file.
 *
 * @param line   the physical line where the record starts (the header is line 1)
 * @param raw    its exact text, without the line terminator
 * @param defect set when the record could not be parsed at all
 */
public record CsvRow(long line, String raw, List<String> values, String defect) {
}

SELECT source, record_count FROM source_stats ORDER BY source

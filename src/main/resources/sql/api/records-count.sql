-- Only for a text search: without one, the total comes from source_stats.
SELECT count(*)
  FROM unified_records
 WHERE (CAST(:#source AS text) IS NULL OR source = CAST(:#source AS text))
   AND (lower(name) LIKE CAST(:#pattern AS text) ESCAPE '\'
        OR lower(external_id) LIKE CAST(:#pattern AS text) ESCAPE '\')

-- GET /records and GET /data: stable order by id. :#pattern is a LIKE pattern over lower-cased
-- text (wildcards in the user's query escaped with '\'), or null for no search.
SELECT id, source, external_id, name, category, value, currency, event_timestamp,
       attributes::text AS attributes, content_hash,
       created_at, updated_at
  FROM unified_records
 WHERE (CAST(:#source AS text) IS NULL OR source = CAST(:#source AS text))
   AND (CAST(:#pattern AS text) IS NULL
        OR lower(name) LIKE CAST(:#pattern AS text) ESCAPE '\'
        OR lower(external_id) LIKE CAST(:#pattern AS text) ESCAPE '\')
 ORDER BY id
 LIMIT :#limit OFFSET :#offset

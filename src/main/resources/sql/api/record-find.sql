SELECT id, source, external_id, name, category, value, currency, event_timestamp,
       attributes::text AS attributes, content_hash,
       created_at, updated_at
  FROM unified_records
 WHERE source = :#source AND external_id = :#externalId

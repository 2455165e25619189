-- The API payload as received, not as jsonb re-encoded it: json keeps the exact text (key order,
-- spacing, duplicate keys), which is what a raw copy is for, and it only validates the text where
-- jsonb also converts it. Measured on the 16,354-coin /coins/list (psql, PostgreSQL 17): the
-- insert took ~50-100 ms as jsonb and ~30 ms as json, on the path from response to stored run.
-- Existing rows keep their (jsonb-normalised) text. Queries use the json_* functions.
ALTER TABLE raw_api_data ALTER COLUMN payload TYPE json USING payload::json;

-- PostgreSQL text cannot hold NUL. A rejected row whose raw text holds one is stored with each NUL
-- as \0 and each backslash as \\, and raw_text_escaped says so; every other row keeps its exact text.
ALTER TABLE rejected_rows ADD COLUMN raw_text_escaped boolean NOT NULL DEFAULT false;

-- Session-level advisory lock: held by one replica's dedicated connection for the length of a
-- poll; PostgreSQL frees it by itself if that process dies.
SELECT pg_try_advisory_lock(:key)

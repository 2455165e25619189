-- This transaction's COMMIT returns once its WAL is written to the server's buffers, not flushed to
-- disk (the WAL writer flushes it within 3 x wal_writer_delay, 600 ms by default). Only for this
-- transaction: a file batch's (see BatchCommitMode for why that is safe).
SELECT set_config('synchronous_commit', 'off', true)

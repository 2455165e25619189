-- Taken by a batch's transaction before its merge, released by its commit or rollback: one writer
-- of unified records per source at a time, so that merge-batch.sql may plain-INSERT the keys its
-- snapshot did not find. The lock is the source's source_stats row (every source has one, V1), and
-- in READ COMMITTED a FOR UPDATE that had to wait returns the row as the writer before committed
-- it: write_seq is the source's merge count as of now, which BatchLookup compares with the count
-- its early lookup saw.
SELECT write_seq FROM source_stats WHERE source = :source FOR UPDATE

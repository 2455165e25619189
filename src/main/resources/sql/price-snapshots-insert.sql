-- A batch's price points, as parallel arrays (one element per point), appended to the history.
-- A point already stored (same coin, currency and last_updated: the price did not change since
-- the last poll) adds nothing. Inserted in key order, so that two transactions storing the same
-- points wait for each other instead of deadlocking. Answers how many points were new.
WITH added AS (
    INSERT INTO price_snapshots (coin_id, vs_currency, price, market_cap, total_volume, last_updated, run_id)
    SELECT p.coin_id, p.vs_currency, p.price, p.market_cap, p.total_volume, p.last_updated, CAST(:runId AS bigint)
      FROM unnest(CAST(:coinIds AS text[]), CAST(:vsCurrencies AS text[]), CAST(:prices AS numeric[]),
                  CAST(:marketCaps AS numeric[]), CAST(:totalVolumes AS numeric[]),
                  CAST(:lastUpdated AS timestamptz[]))
           AS p (coin_id, vs_currency, price, market_cap, total_volume, last_updated)
     ORDER BY p.coin_id, p.vs_currency, p.last_updated
    ON CONFLICT (coin_id, vs_currency, last_updated) DO NOTHING
    RETURNING 1
)
SELECT count(*) FROM added

-- Price history of the CoinGecko markets source, and the call budget of every CoinGecko request.

-- One row per coin, vs-currency and CoinGecko last_updated: a poll that finds a coin's price
-- unchanged (same last_updated) adds nothing. The primary key is also the index of
-- GET /prices/{coin_id}?from=&to=: one coin and currency, a range of last_updated, in order.
-- No foreign key to etl_runs: like raw_csv_data it is a bulk table, written in the transaction
-- of its run's batch, so the run always exists.
CREATE TABLE price_snapshots (
    coin_id      text        NOT NULL,
    vs_currency  text        NOT NULL,
    price        numeric     NOT NULL,
    market_cap   numeric,
    total_volume numeric,
    last_updated timestamptz NOT NULL,
    run_id       bigint      NOT NULL,
    CONSTRAINT price_snapshots_pk PRIMARY KEY (coin_id, vs_currency, last_updated)
);

-- The call budget: the requests of the last minute, one row each (older rows are pruned as
-- requests are recorded), and one counter per calendar month (UTC), so that the month's count is
-- one row, never a scan. `budget` names the API whose requests are counted ('coingecko').
CREATE TABLE call_budget_calls (
    budget    text        NOT NULL,
    called_at timestamptz NOT NULL
);
CREATE INDEX call_budget_calls_budget_called_at_idx ON call_budget_calls (budget, called_at);

CREATE TABLE call_budget_months (
    budget text   NOT NULL,
    month  date   NOT NULL,   -- the first day of the month, UTC
    calls  bigint NOT NULL CHECK (calls >= 0),
    PRIMARY KEY (budget, month)
);

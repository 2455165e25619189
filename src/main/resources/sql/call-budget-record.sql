-- One request of a budget, recorded under call-budget-lock.sql at the database's clock: a row in
-- the window at the latest moment the request can reach CoinGecko (now + onItsWayMillis; its answer
-- moves it, call-budget-answered.sql), the month's counter raised by one, and the rows that left the
-- window pruned.
-- Answers the request's row (its called_at, for call-budget-answered.sql) and the month's count with
-- this request.
WITH t AS (
    SELECT clock_timestamp() AS now
),
pruned AS (
    DELETE FROM call_budget_calls c
     USING t
     WHERE c.budget = :budget
       AND c.called_at <= t.now - make_interval(secs => CAST(:windowMillis AS bigint) / 1000.0)
),
called AS (
    INSERT INTO call_budget_calls (budget, called_at)
    SELECT :budget, t.now + make_interval(secs => CAST(:onItsWayMillis AS bigint) / 1000.0) FROM t
    RETURNING called_at
),
counted AS (
    INSERT INTO call_budget_months AS m (budget, month, calls)
    SELECT :budget, CAST(date_trunc('month', t.now AT TIME ZONE 'UTC') AS date), 1 FROM t
    ON CONFLICT (budget, month) DO UPDATE SET calls = m.calls + 1
    RETURNING m.calls
)
SELECT called.called_at, counted.calls FROM called, counted

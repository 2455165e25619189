-- What a budget has left now, by the database's clock: requests in the window, and in the
-- calendar month (UTC; null without a monthly cap). For /stats and the metrics.
WITH t AS (
    SELECT clock_timestamp() AS now
)
SELECT GREATEST(0, CAST(:perMinute AS bigint) - (
           SELECT count(*) FROM call_budget_calls c
            WHERE c.budget = :budget
              AND c.called_at > t.now - make_interval(secs => CAST(:windowMillis AS bigint) / 1000.0)))
         AS minute_left,
       CASE WHEN CAST(:perMonth AS bigint) > 0 THEN GREATEST(0, CAST(:perMonth AS bigint) - COALESCE((
           SELECT m.calls FROM call_budget_months m
            WHERE m.budget = :budget
              AND m.month = CAST(date_trunc('month', t.now AT TIME ZONE 'UTC') AS date)), 0)) END
         AS month_left
  FROM t

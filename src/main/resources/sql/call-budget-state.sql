-- Where a budget stands, by the database's clock, read under call-budget-lock.sql: the calendar
-- month (UTC), its requests so far, and how long until the window has room for one more request
-- (0: now). The window is full while its perMinute-th newest request is in it.
WITH t AS (
    SELECT clock_timestamp() AS now
),
blocking AS (
    SELECT c.called_at
      FROM call_budget_calls c, t
     WHERE c.budget = :budget
       AND c.called_at > t.now - make_interval(secs => CAST(:windowMillis AS bigint) / 1000.0)
     ORDER BY c.called_at DESC
    OFFSET CAST(:perMinute AS int) - 1
     LIMIT 1
)
SELECT to_char(t.now AT TIME ZONE 'UTC', 'YYYY-MM') AS month,
       COALESCE((SELECT m.calls FROM call_budget_months m
                  WHERE m.budget = :budget
                    AND m.month = CAST(date_trunc('month', t.now AT TIME ZONE 'UTC') AS date)), 0) AS month_calls,
       COALESCE(CAST(ceil(EXTRACT(EPOCH FROM (b.called_at - t.now)) * 1000) AS bigint)
                + CAST(:windowMillis AS bigint), 0) AS wait_millis
  FROM t
  LEFT JOIN blocking b ON true

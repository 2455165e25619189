-- A request's answer (or its failure) is in: its row in the window moves from where
-- call-budget-record.sql put it (the latest moment the request could reach CoinGecko) to now, by the
-- database's clock. CoinGecko received the request at some moment between its recording and now,
-- so now is a safe place for it, however long the request took on its way. Outside the budget's
-- lock: a decision sees the row before the move or after it, and either place is safe.
UPDATE call_budget_calls
   SET called_at = clock_timestamp()
 WHERE budget = :budget
   AND called_at = :calledAt

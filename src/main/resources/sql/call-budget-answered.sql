-- A request's answer (or its failure) is in: its row in the window moves to now, by the database's
-- clock. CoinGecko received the request at some moment between its recording and now, so the
-- window counts from the latest of them, however long the request took on its way (a new
-- connection, a cold start). Outside the budget's lock: moving a row later only makes the next
-- decisions stricter.
UPDATE call_budget_calls
   SET called_at = clock_timestamp()
 WHERE budget = :budget
   AND called_at = :calledAt

-- The first statement of every request's budget transaction, held until its commit: one replica
-- at a time decides and records a request of this budget, so two can never both take the last
-- slot. In READ COMMITTED the statements that follow take a new snapshot, so they see what the
-- holder before this one committed. (Two int keys: apart from poll-lock.sql's bigint keys.)
SELECT pg_advisory_xact_lock(hashtext('call_budget'), hashtext(:budget))

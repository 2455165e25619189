SELECT count(*)
  FROM etl_runs
 WHERE (CAST(:#source AS text) IS NULL OR source = CAST(:#source AS text))
   AND (CAST(:#status AS text) IS NULL OR status = CAST(:#status AS text))

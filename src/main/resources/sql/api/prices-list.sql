-- GET /prices/{coin_id}: one coin's history in one currency, oldest first, from inclusive, to
-- exclusive. One range scan of price_snapshots' primary key (coin_id, vs_currency, last_updated).
-- :#fetch is the limit plus one: the extra row only says that a next page exists.
SELECT last_updated, price, market_cap, total_volume
  FROM price_snapshots
 WHERE coin_id = :#coinId
   AND vs_currency = :#vsCurrency
   AND last_updated >= COALESCE(CAST(:#from AS timestamptz), '-infinity')
   AND last_updated < COALESCE(CAST(:#to AS timestamptz), 'infinity')
 ORDER BY last_updated
 LIMIT :#fetch

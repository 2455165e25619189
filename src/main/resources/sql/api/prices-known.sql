-- Whether a coin has any history in a currency: an empty answer of prices-list.sql is then an
-- empty range (200), else an unknown coin or currency (404).
SELECT 1 FROM price_snapshots WHERE coin_id = :#coinId AND vs_currency = :#vsCurrency LIMIT 1

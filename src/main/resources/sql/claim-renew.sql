-- Renews every claim this process holds, expired or not: a claim nobody has taken over yet is still
-- its holder's. The keys that come back are the ones still held; any other was taken over.
UPDATE inbox_claims
   SET expires_at = now() + CAST(:leaseMillis AS bigint) * interval '1 millisecond'
 WHERE holder = :holder
RETURNING claim_key

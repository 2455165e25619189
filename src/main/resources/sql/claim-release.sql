-- The holder is done with a key (its file moved away, or left for the next poll).
DELETE FROM inbox_claims WHERE claim_key = :key AND holder = :holder

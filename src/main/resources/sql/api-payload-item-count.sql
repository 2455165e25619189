SELECT item_count FROM raw_api_data WHERE source = :source AND payload_hash = :payloadHash

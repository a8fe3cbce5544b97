-- Each claim of an outbox message carries a token; only its holder records the outcome.
ALTER TABLE outbox ADD COLUMN claim_token TEXT;

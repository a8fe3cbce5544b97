-- A passkey whose signature counter did not go up (a sign that it was
-- copied) is marked and signs in no more until its owner removes it.
ALTER TABLE passkeys ADD COLUMN suspected_clone_at BIGINT;

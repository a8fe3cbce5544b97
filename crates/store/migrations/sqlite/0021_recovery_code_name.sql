-- A recovery case keeps the name it was started with, as a keyed hash (the
-- subject its code mails are counted on), so that "send a new code" counts
-- with the starts for that name. NULL for cases started before.
ALTER TABLE recovery_cases ADD COLUMN code_name TEXT;

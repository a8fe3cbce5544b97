-- Italian (it), latchkey's fourth language: accounts and tenants may choose
-- it. The constraints keep the names PostgreSQL gave them in 0002.
ALTER TABLE tenants DROP CONSTRAINT tenants_default_language_check;
ALTER TABLE tenants ADD CONSTRAINT tenants_default_language_check
    CHECK (default_language IN ('en', 'de', 'fr', 'it'));
ALTER TABLE users DROP CONSTRAINT users_language_check;
ALTER TABLE users ADD CONSTRAINT users_language_check
    CHECK (language IN ('en', 'de', 'fr', 'it'));

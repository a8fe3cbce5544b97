-- latchkey: foreign_keys=OFF
-- Italian (it), latchkey's fourth language: accounts and tenants may choose
-- it. SQLite cannot change a CHECK constraint in place, so tenants and users
-- are rebuilt by SQLite's procedure for such changes
-- (https://sqlite.org/lang_altertable.html#otheralter): create the new
-- table, copy the rows, drop the old one, rename the new one into its place.
--
-- The first line makes the runner switch foreign keys off for this
-- migration (before its transaction: inside one the setting is ignored) and
-- run PRAGMA foreign_key_check before committing. With foreign keys on,
-- dropping users would first delete each of its rows, and ON DELETE CASCADE
-- would delete every session, factor, recovery code, known device, grant
-- and mail link with them; and renaming users away would rewrite the other
-- tables' REFERENCES users to the new name (PRAGMA legacy_alter_table does
-- not prevent that while foreign keys are on). With them off, the other
-- tables keep referring to "users", which is the new table once renamed.
--
-- The columns are those of 0001 and the columns later migrations added, in
-- the same order, types and constraints; neither table has indexes of its
-- own besides its PRIMARY KEY and UNIQUE constraints, nor triggers.
CREATE TABLE tenants_new (
    id                         TEXT PRIMARY KEY,
    slug                       TEXT NOT NULL CONSTRAINT tenants_slug_unique UNIQUE,
    display_name               TEXT NOT NULL,
    onboarding                 TEXT NOT NULL CHECK (onboarding IN ('v1', 'v2')),
    second_factor              TEXT NOT NULL CHECK (second_factor IN ('off', 'optional', 'required')),
    self_recovery              INTEGER NOT NULL DEFAULT 0,
    created_at                 BIGINT NOT NULL,
    updated_at                 BIGINT NOT NULL,
    default_language           TEXT NOT NULL DEFAULT 'en' CHECK (default_language IN ('en', 'de', 'fr', 'it')),
    passwordless               INTEGER NOT NULL DEFAULT 0,
    recovery_waiting_secs      BIGINT NOT NULL DEFAULT 86400,
    recovery_known_device_secs BIGINT NOT NULL DEFAULT 7776000,
    helpdesk_text              TEXT,
    helpdesk_url               TEXT,
    recovery_excludes_admins   INTEGER NOT NULL DEFAULT 1,
    version                    BIGINT NOT NULL DEFAULT 0
);
INSERT INTO tenants_new (id, slug, display_name, onboarding, second_factor, self_recovery,
    created_at, updated_at, default_language, passwordless, recovery_waiting_secs,
    recovery_known_device_secs, helpdesk_text, helpdesk_url, recovery_excludes_admins, version)
SELECT id, slug, display_name, onboarding, second_factor, self_recovery,
    created_at, updated_at, default_language, passwordless, recovery_waiting_secs,
    recovery_known_device_secs, helpdesk_text, helpdesk_url, recovery_excludes_admins, version
FROM tenants;
DROP TABLE tenants;
ALTER TABLE tenants_new RENAME TO tenants;

CREATE TABLE users_new (
    id                TEXT PRIMARY KEY,
    tenant_id         TEXT NOT NULL REFERENCES tenants (id) ON DELETE CASCADE,
    username          TEXT NOT NULL,
    username_key      TEXT NOT NULL,
    email             TEXT NOT NULL,
    email_key         TEXT NOT NULL,
    display_name      TEXT NOT NULL,
    status            TEXT NOT NULL CHECK (status IN ('active', 'disabled')),
    email_verified    INTEGER NOT NULL,
    password_hash     TEXT,
    security_stamp    TEXT NOT NULL,
    created_at        BIGINT NOT NULL,
    updated_at        BIGINT NOT NULL,
    language          TEXT CHECK (language IN ('en', 'de', 'fr', 'it')),
    role              TEXT NOT NULL DEFAULT 'member' CHECK (role IN ('member', 'admin')),
    password_reset_at BIGINT,
    CONSTRAINT users_username_unique UNIQUE (tenant_id, username_key),
    CONSTRAINT users_email_unique UNIQUE (tenant_id, email_key)
);
INSERT INTO users_new (id, tenant_id, username, username_key, email, email_key, display_name,
    status, email_verified, password_hash, security_stamp, created_at, updated_at, language,
    role, password_reset_at)
SELECT id, tenant_id, username, username_key, email, email_key, display_name,
    status, email_verified, password_hash, security_stamp, created_at, updated_at, language,
    role, password_reset_at
FROM users;
DROP TABLE users;
ALTER TABLE users_new RENAME TO users;

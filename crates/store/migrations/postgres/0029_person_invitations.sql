-- Invitations of people (decision 0029): an administrator makes a person's
-- account without a password and mails a link to choose it. Such an
-- invitation belongs to that account from the start (user_id); `purpose`
-- tells it from an invitation of a tenant's first administrator, whose
-- account is made when the link is used. One open invitation per account.
ALTER TABLE admin_invitations ADD COLUMN purpose TEXT NOT NULL DEFAULT 'admin';
CREATE INDEX admin_invitations_user ON admin_invitations (user_id, created_at);

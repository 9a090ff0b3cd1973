-- Muster schema, version 7: hub staff accounts, their sessions and an audit of both
-- (docs/staff.md). Hub only; a device's database has the tables and leaves them empty. Not
-- sent to devices, so no changed_at: an account is between the hub and its staff.

-- One person at the hub who logs in to the staff pages: `muster staff add`.
CREATE TABLE staff_accounts (
    id                  INTEGER PRIMARY KEY,
    -- Within the name limit (100 characters), no control characters (checked by the store).
    name                TEXT NOT NULL CHECK (length(name) > 0),
    -- The login, kept trimmed and in lower case (the store folds it); unique whatever its
    -- case, so "Ann@Hub.org" and "ann@hub.org" are one account.
    email               TEXT NOT NULL COLLATE NOCASE UNIQUE CHECK (length(email) > 0),
    -- admin: manages accounts, links and sign-off; staff: reconciles.
    role                TEXT NOT NULL CHECK (role IN ('admin', 'staff')),
    -- Argon2id in PHC form ("$argon2id$v=19$m=65536,t=3,p=1$salt$hash"): the parameters
    -- travel with the hash, so a later cost still verifies older hashes.
    password_hash       TEXT NOT NULL CHECK (password_hash LIKE '$argon2id$%'),
    created_ms          INTEGER NOT NULL,
    -- Set by `muster staff disable`: no login, and its sessions end. NULL: in service.
    disabled_ms         INTEGER,
    password_changed_ms INTEGER NOT NULL,
    -- Wrong passwords since the last good login (or unlock); from 5 on, each one locks
    -- the account (1 minute, doubling, at most 1 hour) until locked_until_ms.
    failed_logins       INTEGER NOT NULL DEFAULT 0 CHECK (failed_logins >= 0),
    locked_until_ms     INTEGER,
    last_login_ms       INTEGER
);

-- A logged-in browser: it holds the cookie value, the hub only its hash.
CREATE TABLE staff_sessions (
    -- SHA-256 of the cookie value (256 random bits); the key every request looks it up by.
    session_hash BLOB PRIMARY KEY CHECK (length(session_hash) = 32),
    staff_id     INTEGER NOT NULL REFERENCES staff_accounts(id) ON DELETE CASCADE,
    created_ms   INTEGER NOT NULL,
    -- Last request seen (moved on at most once a minute); 30 minutes after it, the
    -- session is over (idle timeout).
    last_seen_ms INTEGER NOT NULL,
    -- created_ms + 12 hours: the session is over then whatever its use (absolute timeout).
    expires_ms   INTEGER NOT NULL CHECK (expires_ms > created_ms),
    -- Logout, or the account disabled or its password changed.
    revoked_ms   INTEGER
    -- No CSRF column: the token is an HMAC under the cookie value (staff_access), never stored.
) WITHOUT ROWID;
CREATE INDEX staff_sessions_staff ON staff_sessions(staff_id);

-- Who did what to which account, and when. Never a password or a hash, never the text
-- typed as an email at a failed login (it may be a password typed in the wrong box).
CREATE TABLE staff_audit (
    id        INTEGER PRIMARY KEY,
    at_ms     INTEGER NOT NULL,
    -- The account it is about; NULL for a failed login naming no account.
    staff_id  INTEGER REFERENCES staff_accounts(id) ON DELETE SET NULL,
    -- Who did it: an admin's account (the staff pages), or NULL for the hub's terminal
    -- (`muster staff ...`) and for a login, which is the account's own act.
    actor_id  INTEGER REFERENCES staff_accounts(id) ON DELETE SET NULL,
    kind      TEXT NOT NULL CHECK (kind IN ('account_added', 'account_disabled', 'account_enabled',
                                            'password_changed', 'unlocked', 'login_ok', 'login_failed',
                                            'locked', 'logout')),
    -- A few words, e.g. "role admin", "failure 6, locked for 2 min"; no personal data.
    detail    TEXT
);
CREATE INDEX staff_audit_staff ON staff_audit(staff_id, at_ms);

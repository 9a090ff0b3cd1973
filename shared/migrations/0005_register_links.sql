-- Muster schema, version 5: links to the facilitators' live register (docs/register.md).
-- Hub only; a device's database has the tables and leaves them empty. Not sent to devices,
-- so no changed_at: a link is between the hub and a browser.

-- A link printed for a room's pack (or for hub staff): `muster register link`.
CREATE TABLE register_links (
    id          INTEGER PRIMARY KEY,
    -- The event the link reads; removed with it.
    event_id    INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    -- The one room it reads; NULL for the whole event (hub staff). A room of event_id
    -- (checked by the store when the link is made).
    room_id     INTEGER REFERENCES rooms(id) ON DELETE CASCADE,
    -- SHA-256 of the one-time code in the link's URL fragment. The code itself is never
    -- stored: a copy of hub.db gives no link away. The hash is the key it is looked up by,
    -- so the lookup's timing says nothing about the code.
    code_hash   BLOB NOT NULL UNIQUE CHECK (length(code_hash) = 32),
    -- Optional words for hub staff to tell links apart ("Room 1 pack"); never shown to the
    -- tablet. Within the label limit (100 characters).
    label       TEXT,
    created_ms  INTEGER NOT NULL,
    -- 24:00 UK time of the event's local_date: the link and its session stop then.
    expires_ms  INTEGER NOT NULL CHECK (expires_ms > created_ms),
    -- When the code was exchanged for a session. The code works once: a second exchange
    -- (a forwarded link, a photo of the QR code) is refused while the first tablet keeps
    -- its session.
    used_ms     INTEGER,
    -- When hub staff withdrew it (`muster register revoke`): the link and its session are
    -- refused from then on.
    revoked_ms  INTEGER
);
CREATE INDEX register_links_event ON register_links(event_id);

-- The session a link's code was exchanged for: the browser holds the cookie value, the hub
-- only its hash. At most one per link (the code is one-time).
CREATE TABLE register_sessions (
    -- SHA-256 of the cookie value; the key every request looks the session up by.
    session_hash BLOB PRIMARY KEY CHECK (length(session_hash) = 32),
    -- The link it came from: its scope (event, room) and revocation are the link's.
    link_id      INTEGER NOT NULL REFERENCES register_links(id) ON DELETE CASCADE,
    created_ms   INTEGER NOT NULL,
    -- The link's expiry, copied so a session is judged from its own row.
    expires_ms   INTEGER NOT NULL,
    -- Last request seen (moved on at most once a minute), for `muster register list`.
    last_seen_ms INTEGER NOT NULL
    -- No CSRF column: the token is an HMAC under the cookie value
    -- (register_access::csrf_token_for), checked in constant time, never stored.
) WITHOUT ROWID;
CREATE INDEX register_sessions_link ON register_sessions(link_id);

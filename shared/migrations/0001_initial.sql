-- Muster schema, version 1. The same schema serves the hub database (admin CLI, sync
-- server) and a device's database (kiosk); a device holds only its hub's public key, the
-- people it may see and its own scans. Times are UTC milliseconds since the epoch; local
-- (Europe/London) time is computed for display, and a device's UTC offset is kept beside
-- each scan it made. See docs/schema.md.

CREATE TABLE hub (
    id            INTEGER PRIMARY KEY CHECK (id = 1),
    name          TEXT NOT NULL,
    public_key    BLOB NOT NULL,          -- raw Ed25519 public key, 32 bytes
    key_id        TEXT NOT NULL,          -- hex of the first 4 bytes of SHA-256(public_key)
    created_ms    INTEGER NOT NULL
);

-- Monotonic change counter: every row a device must learn about carries the value it had
-- when last changed, so "everything since cursor N" is one indexed query per table.
CREATE TABLE change_clock (id INTEGER PRIMARY KEY CHECK (id = 1), value INTEGER NOT NULL);
INSERT INTO change_clock VALUES (1, 0);

CREATE TABLE participants (
    id              INTEGER PRIMARY KEY,
    trn             TEXT UNIQUE CHECK (trn IS NULL OR (length(trn) = 7 AND trn NOT GLOB '*[^0-9]*')),
    email           TEXT,
    first_name      TEXT NOT NULL,
    last_name       TEXT NOT NULL,
    preferred_name  TEXT,
    school_name     TEXT,
    school_urn      TEXT CHECK (school_urn IS NULL OR (length(school_urn) = 6 AND school_urn NOT GLOB '*[^0-9]*')),
    role            TEXT NOT NULL CHECK (role IN ('ect','mentor','induction_tutor','facilitator','npq','hub_staff','guest')),
    programme       TEXT,
    cohort          INTEGER,
    programme_year  INTEGER,
    part_time       INTEGER NOT NULL DEFAULT 0,
    lead_provider   TEXT,
    delivery_partner TEXT,
    changed_at      INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX participants_email ON participants(lower(email));  -- NULLs never clash
CREATE INDEX participants_changed ON participants(changed_at);
CREATE INDEX participants_name ON participants(last_name COLLATE NOCASE, first_name COLLATE NOCASE);

CREATE TABLE events (
    id              INTEGER PRIMARY KEY,
    programme       TEXT NOT NULL,        -- programme template code, e.g. 'ect-y1'
    item            TEXT NOT NULL,        -- template item code, e.g. 'conference-1'
    cohort          INTEGER NOT NULL,
    kind            TEXT NOT NULL CHECK (kind IN ('conference','clinic','mentor_conference','mentor_clinic','coaching_on_coaching','npq_event','orientation','other')),
    title           TEXT NOT NULL,
    venue           TEXT NOT NULL,
    local_date      TEXT NOT NULL,        -- YYYY-MM-DD, UK local date of the event
    late_after_min  INTEGER NOT NULL DEFAULT 10,
    changed_at      INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE sessions (
    id              INTEGER PRIMARY KEY,
    event_id        INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    name            TEXT NOT NULL,        -- 'Morning', 'Afternoon', 'Clinic'
    starts_ms       INTEGER NOT NULL,
    ends_ms         INTEGER NOT NULL CHECK (ends_ms > starts_ms),
    opens_before_min INTEGER NOT NULL DEFAULT 60,   -- check-in window opens this long before start
    closes_after_min INTEGER NOT NULL DEFAULT 30,   -- and closes this long after the end
    changed_at      INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX sessions_event ON sessions(event_id, starts_ms);

CREATE TABLE rooms (
    id              INTEGER PRIMARY KEY,
    event_id        INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    name            TEXT NOT NULL,
    changed_at      INTEGER NOT NULL DEFAULT 0,
    UNIQUE (event_id, name)
);

CREATE TABLE room_facilitators (
    room_id         INTEGER NOT NULL REFERENCES rooms(id) ON DELETE CASCADE,
    participant_id  INTEGER NOT NULL REFERENCES participants(id),
    lead            INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (room_id, participant_id)
);

-- Who is expected where. room_id is the breakout room they are allocated to, if any.
CREATE TABLE enrolments (
    event_id        INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    participant_id  INTEGER NOT NULL REFERENCES participants(id),
    room_id         INTEGER REFERENCES rooms(id),
    changed_at      INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (event_id, participant_id)
);
CREATE INDEX enrolments_participant ON enrolments(participant_id);

CREATE TABLE badges (
    participant_id  INTEGER NOT NULL REFERENCES participants(id),
    serial          INTEGER NOT NULL,
    issued_ms       INTEGER NOT NULL,
    revoked_ms      INTEGER,
    revoke_reason   TEXT,
    changed_at      INTEGER NOT NULL DEFAULT 0,
    -- SHA-256 of the badge's token as the hub signed it. A device accepts a token whose
    -- digest the hub gave it without redoing the Ed25519 check (see docs/badges.md).
    token_digest    BLOB,
    PRIMARY KEY (participant_id, serial)
);

CREATE TABLE nfc_cards (
    uid             TEXT PRIMARY KEY,     -- upper-case hex, 8 or 14 digits
    participant_id  INTEGER NOT NULL REFERENCES participants(id),
    attached_ms     INTEGER NOT NULL,
    detached_ms     INTEGER,
    changed_at      INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE devices (
    id              TEXT PRIMARY KEY,
    name            TEXT NOT NULL,
    mode            TEXT NOT NULL CHECK (mode IN ('entrance','room')),
    event_id        INTEGER REFERENCES events(id),
    room_id         INTEGER REFERENCES rooms(id),
    secret          BLOB,                 -- per-device shared secret (hub side only)
    created_ms      INTEGER NOT NULL,
    revoked_ms      INTEGER
);

-- Scans are facts: never updated, never deleted. Every later copy is keyed by uuid.
CREATE TABLE check_ins (
    uuid            TEXT PRIMARY KEY,
    device_id       TEXT NOT NULL,
    device_seq      INTEGER NOT NULL,
    participant_id  INTEGER,              -- NULL when the badge named nobody we know
    event_id        INTEGER NOT NULL,
    session_id      INTEGER,
    room_id         INTEGER,
    direction       TEXT NOT NULL CHECK (direction IN ('entry','exit')),
    method          TEXT NOT NULL CHECK (method IN ('qr','nfc','manual')),
    outcome         TEXT NOT NULL,
    reason          TEXT,                 -- rejection reason or manual check-in reason
    badge_serial    INTEGER,
    device_ms       INTEGER NOT NULL,     -- device wall clock, UTC
    device_offset_min INTEGER NOT NULL,   -- device's UTC offset at the time (UK: 0 or 60)
    staff           TEXT,                 -- who made a manual check-in
    received_ms     INTEGER,              -- server clock when it arrived (server side)
    clock_skew_ms   INTEGER,              -- device clock minus server clock, when flagged
    UNIQUE (device_id, device_seq)
) WITHOUT ROWID;
CREATE INDEX check_ins_participant ON check_ins(participant_id, event_id, session_id, device_ms);
CREATE INDEX check_ins_event ON check_ins(event_id, device_ms);

-- Corrections are new records with who and why: a void of a scan, or a status set by staff.
CREATE TABLE corrections (
    uuid            TEXT PRIMARY KEY,
    kind            TEXT NOT NULL CHECK (kind IN ('void','mark')),
    target_uuid     TEXT,                 -- the check-in a void cancels
    participant_id  INTEGER,
    event_id        INTEGER NOT NULL,
    session_id      INTEGER,
    status          TEXT CHECK (status IS NULL OR status IN ('present','late','left_early','absent','excused','caught_up','alternate')),
    reason          TEXT NOT NULL CHECK (length(reason) > 0),
    author          TEXT NOT NULL CHECK (length(author) > 0),
    device_id       TEXT,
    created_ms      INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX corrections_event ON corrections(event_id, participant_id);
CREATE INDEX corrections_target ON corrections(target_uuid);

-- A device's unsent records. A row leaves only on the server's acknowledgement or a
-- permanent rejection (which is kept in rejected_reason for staff to see).
CREATE TABLE outbox (
    uuid            TEXT PRIMARY KEY,
    kind            TEXT NOT NULL CHECK (kind IN ('check_in','correction')),
    queued_ms       INTEGER NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    last_error      TEXT,
    rejected_reason TEXT
) WITHOUT ROWID;

-- Small key/value settings of this database (device cursor, last sync time, ...).
CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;

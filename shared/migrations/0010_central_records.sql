-- Muster schema, version 10: records to the central attendance records (issue 13; the store
-- is muster/store/central_outbox.hpp, docs/central.md). An outbox of record versions: when
-- an event is signed off, one attendance record per expected participant is written as
-- version 1 and queued for every active target; a later amendment that changes a record
-- writes the next version and queues it, superseding an undelivered older one or following
-- a delivered one as a correction. Nothing here is deleted: it is the delivery history.

-- The targets the hub delivers to, as the server's file names them ([[central.target]]).
-- The server registers its file's targets at start; the hub's terminal queues for the same
-- ones when it signs an event off. A target gone from the file is left inactive: nothing new
-- is queued for it, and what it was sent stays on record.
CREATE TABLE central_targets (
    name      TEXT PRIMARY KEY,  -- [[central.target]] name: 1..40 of [a-z0-9_-]
    kind      TEXT NOT NULL CHECK (kind IN ('https', 'csv', 'evidence-csv')),
    active    INTEGER NOT NULL DEFAULT 1,
    added_ms  INTEGER NOT NULL
);

-- One version of one participant's attendance record at one event. record_id is made (a
-- random UUID) with version 1 and kept by every later version: the central side's key.
CREATE TABLE central_records (
    id              INTEGER PRIMARY KEY,
    record_id       TEXT NOT NULL,
    version         INTEGER NOT NULL,   -- 1 at sign-off, +1 per amendment that changes the record
    event_id        INTEGER NOT NULL,   -- no foreign keys: a sent record is a fact, kept as sent
    participant_id  INTEGER NOT NULL,
    created_ms      INTEGER NOT NULL,
    -- Why this version exists: 'sign_off', or the amendment's reason (no personal data).
    cause           TEXT NOT NULL,
    -- The record as JSON (muster/central/central_record.hpp): what every target is sent.
    payload         TEXT NOT NULL,
    UNIQUE (record_id, version),
    UNIQUE (event_id, participant_id, version)
);

-- One record version's delivery to one target: the outbox entry. The idempotency key sent
-- with it is "<target>:<record_id>:<version>".
CREATE TABLE central_deliveries (
    id               INTEGER PRIMARY KEY,
    target           TEXT NOT NULL REFERENCES central_targets(name),
    record_row       INTEGER NOT NULL REFERENCES central_records(id),
    state            TEXT NOT NULL CHECK (state IN ('pending', 'sending', 'delivered', 'rejected', 'superseded')),
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_ms  INTEGER NOT NULL,      -- pending: not before this (back-off, Retry-After)
    last_status      INTEGER,               -- HTTP status of the last attempt (NULL: none, or no reply)
    last_error       TEXT,                  -- for staff; never personal data
    remote_id        TEXT,                  -- the target's id for the record, once delivered
    -- A later version delivered to this target before: this one is sent as a correction.
    correction       INTEGER NOT NULL DEFAULT 0,
    queued_ms        INTEGER NOT NULL,
    updated_ms       INTEGER NOT NULL,
    delivered_ms     INTEGER,
    -- The last retry a person asked for after a rejection (staff name; NULL: never).
    retried_by       TEXT,
    retried_ms       INTEGER,
    UNIQUE (target, record_row)
);
-- The worker's question: this target's due entries, oldest first.
CREATE INDEX central_deliveries_due ON central_deliveries(target, state, next_attempt_ms);
CREATE INDEX central_deliveries_record ON central_deliveries(record_row);

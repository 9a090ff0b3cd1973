-- Muster schema, version 8: reconciliation by hub staff after an event (issue 12; the store
-- is muster/store/reconciliation_store.hpp). Staff decisions stay append-only corrections;
-- these columns say who made one on the staff pages and what it rests on. A device's copy
-- leaves them NULL: the sync download carries the correction's status, not its paperwork.

-- The staff account that made it on the staff pages. NULL: the hub's terminal (`muster
-- attendance mark`), a facilitator's tablet or a device. No foreign key: a correction is a
-- fact and is never updated, not even by a cascade when an account goes.
ALTER TABLE corrections ADD COLUMN staff_id INTEGER;
-- Set when the correction was made after the event's sign-off (an amendment): why the
-- signed-off record had to change. The audit log flags such corrections.
ALTER TABLE corrections ADD COLUMN amendment_reason TEXT;
-- An `alternate` mark: the event the person attended instead (where their scans are). The
-- mark itself is on the event they were expected at, so that event's record says
-- "attended alternate" and the attended event's unexpected row points back to it.
ALTER TABLE corrections ADD COLUMN linked_event_id INTEGER;
-- A `caught_up` mark: the UK date (YYYY-MM-DD) the recording was watched, never before the
-- event itself.
ALTER TABLE corrections ADD COLUMN caught_up_on TEXT;
-- A `caught_up` mark: what shows it (e.g. "quiz completed, certificate seen"), required.
ALTER TABLE corrections ADD COLUMN evidence TEXT;
-- The attended event's page looks up the alternate marks that point at it.
CREATE INDEX corrections_linked ON corrections(linked_event_id) WHERE linked_event_id IS NOT NULL;

-- An event signed off by an admin: its attendance settled. From then on every correction of
-- the event is an amendment (needs amendment_reason). One row per event, written once; no
-- foreign key, so the record outlives any change to the event.
CREATE TABLE event_sign_offs (
    event_id      INTEGER PRIMARY KEY,
    signed_off_ms INTEGER NOT NULL,
    -- The admin's account; NULL when signed off from the hub's terminal.
    staff_id      INTEGER,
    -- Their name as shown in the audit log (kept: an account's name may change later).
    author        TEXT NOT NULL,
    note          TEXT NOT NULL DEFAULT ''
);

-- Muster schema, version 4: a hub run day to day from `muster` alone (docs/schema.md).

-- A participant who left the programme: kept for history (their scans, badges and past
-- enrolments stay), no longer expected at any event from withdrawn_ms on.
ALTER TABLE participants ADD COLUMN withdrawn_ms INTEGER;
ALTER TABLE participants ADD COLUMN withdrawn_reason TEXT;

-- A cancelled event stays with its records; nobody is expected at it any more.
ALTER TABLE events ADD COLUMN cancelled_ms INTEGER;
ALTER TABLE events ADD COLUMN cancel_reason TEXT;

-- An enrolment taken away (unenrol, a withdrawal, a cancelled event) leaves `enrolments` and
-- is remembered here with the change that removed it, so a device hears of it through
-- /v1/changes as it hears of a new one. Enrolling the person again deletes the row here.
CREATE TABLE enrolment_removals (
    event_id        INTEGER NOT NULL,
    participant_id  INTEGER NOT NULL,
    changed_at      INTEGER NOT NULL,
    PRIMARY KEY (event_id, participant_id)
) WITHOUT ROWID;
CREATE INDEX enrolment_removals_changed ON enrolment_removals(event_id, changed_at);

-- A room's facilitators are replaced as a whole list, and rooms.changed_at is advanced with
-- them, so a device is sent the room and its whole list again.

-- Devices over their life. removed_ms: taken out of service (its records stay; its id may be
-- added again). last_*: what the device said of itself at its last authenticated request.
ALTER TABLE devices ADD COLUMN removed_ms INTEGER;
ALTER TABLE devices ADD COLUMN last_seen_ms INTEGER;
ALTER TABLE devices ADD COLUMN last_version TEXT;
ALTER TABLE devices ADD COLUMN last_queued INTEGER;
ALTER TABLE devices ADD COLUMN last_clock_skew_ms INTEGER;

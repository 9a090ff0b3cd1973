-- Muster schema: the non-attendance notices a hub has sent to schools (docs/schools.md).
-- Hub only; a device's database has the tables and leaves them empty. Not sent to devices
-- (no changed_at): a notice is between the hub and a school.
--
-- Why keep them: a notice is drafted from the attendance as it stands, and the next draft
-- for the same event and school leaves out whoever was already told (with the same status),
-- so a school is not told twice about one person; and the hub can show what it told a school,
-- word for word, when asked. Rows are only ever added.

CREATE TABLE school_notices (
    id         INTEGER PRIMARY KEY,
    event_id   INTEGER NOT NULL REFERENCES events(id),
    -- The school: its URN, six digits (as participants.school_urn).
    school_urn TEXT NOT NULL CHECK (length(school_urn) = 6 AND school_urn NOT GLOB '*[^0-9]*'),
    -- When staff marked it sent (the hub's clock).
    sent_ms    INTEGER NOT NULL,
    -- The staff account that marked it sent on the staff pages; NULL from the hub's terminal
    -- (`muster notice sent --author NAME`).
    staff_id   INTEGER REFERENCES staff_accounts(id),
    -- The name shown in the record (the account's name, or --author).
    author     TEXT NOT NULL CHECK (length(author) > 0),
    -- The text exactly as it was reviewed and sent.
    body       TEXT NOT NULL CHECK (length(body) > 0),
    -- Lower-case hex SHA-256 of body: the draft's version that staff reviewed. Unique per
    -- event and school, so marking the same draft sent twice records it once.
    version    TEXT NOT NULL CHECK (length(version) = 64),
    UNIQUE (event_id, school_urn, version)
);
CREATE INDEX school_notices_event ON school_notices(event_id, school_urn);

-- Who a notice told about, and what it said of them (absent, left_early, late, excused): a
-- later draft leaves out people told the same status, and tells a changed one as an update.
CREATE TABLE school_notice_people (
    notice_id      INTEGER NOT NULL REFERENCES school_notices(id),
    participant_id INTEGER NOT NULL REFERENCES participants(id),
    status         TEXT NOT NULL CHECK (status IN ('absent', 'left_early', 'late', 'excused')),
    PRIMARY KEY (notice_id, participant_id)
) WITHOUT ROWID;

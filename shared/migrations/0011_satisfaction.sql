-- Muster schema, version 11: the satisfaction question at check-out (issue 13; the store is
-- muster/store/satisfaction_store.hpp). "Will this activity help you improve your practice?"
-- answered with one tap at an exit kiosk, and reported per event against the alliance's 90 %.
--
-- An answer must not be joinable back to the person who gave it, on the device or at the hub:
-- no participant, badge, device or check-in column; a random uuid; the time kept only to the
-- hour; and WITHOUT ROWID, so that even the table's storage order (by the random uuid) says
-- nothing about the order answers were given in. A device holds its answers until the hub
-- acknowledges them, then deletes them; the hub keeps them.
CREATE TABLE satisfaction_answers (
    uuid              TEXT PRIMARY KEY,   -- random (v4), made when answered
    event_id          INTEGER NOT NULL,
    session_id        INTEGER,            -- the session current at the check-out, if any
    answer            TEXT NOT NULL CHECK (answer IN ('agree', 'not_sure', 'disagree')),
    answered_hour_ms  INTEGER NOT NULL CHECK (answered_hour_ms % 3600000 = 0)
) WITHOUT ROWID;
CREATE INDEX satisfaction_answers_event ON satisfaction_answers(event_id);

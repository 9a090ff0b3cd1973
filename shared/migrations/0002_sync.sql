-- Muster schema, version 2: what the sync server needs (docs/api.md, docs/schema.md).

-- The hub's change clock value when a record arrived at the server, so a device can ask for
-- "other devices' records since cursor N" with the same cursor as every other table.
-- NULL on a device (its own records) and on records made before the server saw them.
ALTER TABLE check_ins ADD COLUMN sync_seq INTEGER;
CREATE INDEX check_ins_sync ON check_ins(event_id, sync_seq);
ALTER TABLE corrections ADD COLUMN sync_seq INTEGER;
CREATE INDEX corrections_sync ON corrections(event_id, sync_seq);

-- Nonces of authenticated requests the server accepted, kept while their timestamp is still
-- inside the accepted window, so a captured request cannot be replayed (even after a restart).
CREATE TABLE request_nonces (
    device_id       TEXT NOT NULL,
    nonce           TEXT NOT NULL,
    seen_ms         INTEGER NOT NULL,
    PRIMARY KEY (device_id, nonce)
) WITHOUT ROWID;
CREATE INDEX request_nonces_seen ON request_nonces(seen_ms);

-- Muster schema, version 6: marks from the facilitators' tablets (docs/register.md, "Marks
-- from the tablet"). A mark or its undo is a correction like any other (device_id NULL, so
-- every device of the event downloads it); these columns say where it came from. Hub side:
-- a device's copy leaves them NULL (they are not part of the sync download).

-- The register link whose tablet made it: only that tablet may undo it. No foreign key: a
-- correction is a fact and is never updated, not even by a cascade.
ALTER TABLE corrections ADD COLUMN register_link_id INTEGER;
-- The room the tablet was showing when it marked (NULL: the whole event's register).
ALTER TABLE corrections ADD COLUMN room_id INTEGER;
-- The facilitator's free words beside the reason (at most 200 characters; may be empty).
ALTER TABLE corrections ADD COLUMN note TEXT;

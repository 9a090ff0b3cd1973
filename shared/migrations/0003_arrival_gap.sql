-- Muster schema, version 3: each uploaded check-in flagged on its own when its device time
-- is far from its arrival (docs/security.md, "Time"). received_ms minus device_ms, kept when
-- that is over 2 minutes either way: a record that waited offline, a device clock that is
-- off, or a record a device backdated. NULL when it arrived within 2 minutes of its device
-- time, and on devices. clock_skew_ms beside it is the upload's (the device's clock when it
-- sent the batch), so staff can tell a wrong clock (gap close to minus the skew) from a wait.
ALTER TABLE check_ins ADD COLUMN arrival_gap_ms INTEGER;

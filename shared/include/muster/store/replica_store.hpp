#pragma once
// A device's copy of the hub: written whole when the device is provisioned, then kept up
// to date by the changes the hub sends it.
#include "muster/db/database.hpp"
#include "muster/store/device_privacy.hpp"
#include "muster/model/types.hpp"
#include "muster/sync/sync_messages.hpp"

#include <string>

namespace muster::store {

// Fills a fresh device database from the hub's database (SQLite or PostgreSQL; read in one
// snapshot, so no transaction may be open on it), in one device transaction: the hub row and
// change clock, the event's people with names and role only and their TRNs as keyed hashes
// under `trn_key` (those enrolled and its rooms' facilitators, with their badges and NFC cards; someone else's genuine badge is still
// recorded, as not expected), the event with its sessions, rooms, enrolments and records,
// and the sync cursor at the hub's clock.
void copy_hub_to_device(db::Database& device, db::Database& hub, EventId event, const TrnKey& trn_key);

// Upserts every row of `changes` (a roster correction that moves a TRN to another person
// included), replaces each sent room's facilitator list with the hub's and deletes the
// enrolments the hub removed. Someone left neither enrolled nor facilitating here is
// forgotten: their badges and cards go, and their participant row too unless a check-in or
// correction on the device names them (docs/api.md, "Changes"). Not the cursor, and no
// transaction: the caller stores both in one. With a `trn_key` (a device) people are stored
// as copy_hub_to_device stores them: TRN as its keyed hash, no school or programme; without
// one (tests that replay changes into a plain copy) as sent.
void apply_changes(db::Database& device, const sync::Changes& changes, const TrnKey* trn_key = nullptr);

}  // namespace muster::store

// An upload taken into the hub (intake/record_intake.hpp), on both engines: the facts the
// rules need are read ahead for the whole upload and the accepted check-ins written in
// multi-row statements, yet every record is answered exactly as one-at-a-time storing
// answered it: a uuid twice in one upload, a device sequence used before, a void of a
// check-in of the same upload, and an upload longer than one statement with refusals
// inside it.
#include "test_hub.hpp"

#include "record_intake.hpp"

#include "muster/store/badge_store.hpp"
#include "muster/store/check_in_store.hpp"
#include "muster/store/hub_sync_store.hpp"
#include "muster/util/uuid.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using namespace muster;

namespace {

struct Upload {
    test::TestHub& hub;
    TimeMs now;
    server::DeviceRecord device;
    ParticipantId who = 0;
    std::int64_t serial = 0;

    Upload(test::TestHub& h, TimeMs at) : hub(h), now(at) {
        device.id = "kiosk-a";
        device.event_id = hub.event;
        who = hub.id_of_trn("1234567");
        serial = store::issue_badge(*hub.db, who, now, store::next_change(*hub.db)).serial;
    }

    CheckIn record(std::int64_t seq) const {
        CheckIn c;
        c.uuid = new_uuid(now + seq);
        c.device_id = device.id;
        c.device_seq = seq;
        c.participant_id = who;
        c.event_id = hub.event;
        c.session_id = hub.loaded.sessions.at(0).id;
        c.direction = Direction::entry;
        c.method = Method::qr;
        c.outcome = Outcome::checked_in;
        c.badge_serial = serial;
        c.device_ms = now - 1000 + seq;
        c.device_offset_min = uk_time::offset_minutes(c.device_ms);
        return c;
    }

    Correction void_of(const std::string& uuid, const std::string& target) const {
        Correction v;
        v.uuid = uuid;
        v.kind = CorrectionKind::void_scan;
        v.target_uuid = target;
        v.participant_id = who;
        v.event_id = hub.event;
        v.session_id = hub.loaded.sessions.at(0).id;
        v.reason = "wrong person";
        v.author = "Kiosk staff";
        v.device_id = device.id;
        v.created_ms = now;
        return v;
    }

    server::IntakeResult send(const sync::UploadBatch& batch) {
        db::Transaction tx(*hub.db);
        auto out = server::take_records(*hub.db, device, batch, {now, now + 1000});
        tx.commit();
        return out;
    }
};

std::int64_t count(db::Database& db, const std::string& sql) {
    return db.prepare(sql).query_one([](const db::Statement& r) { return r.int64(0); }).value();
}

}  // namespace

TEST_CASE("an upload answers a uuid sent twice, a reused sequence and a void of its own check-in as stored one at a time",
          "[sync][intake][engines]") {
    test::TestHub hub;
    Upload up(hub, uk_time::now_ms());
    auto earlier = up.record(5);
    REQUIRE(up.send(sync::UploadBatch{0, {earlier}, {}, {}}).stored_now == 1);

    auto first = up.record(1);
    auto changed = first;  // the same uuid with other content
    changed.direction = Direction::exit;
    auto reused = up.record(5);  // sequence 5 was stored by the upload before
    auto clash = up.record(6);
    clash.device_seq = 1;  // sequence 1 is taken earlier in this very upload
    auto voids = up.void_of(new_uuid(up.now + 10), first.uuid);
    auto void_unknown = up.void_of(new_uuid(up.now + 11), new_uuid(up.now + 12));  // no such check-in
    sync::UploadBatch batch{0, {first, first, changed, reused, clash, earlier}, {voids, void_unknown}, {}};
    auto out = up.send(batch);
    for (const auto& r : out.reply.rejected) UNSCOPED_INFO(r.uuid << ": " << r.reason);

    CHECK(out.stored_now == 2);  // `first` and its void
    CHECK(out.reply.acked == std::vector<std::string>{first.uuid, first.uuid, earlier.uuid, voids.uuid});
    REQUIRE(out.reply.rejected.size() == 4);
    CHECK(out.reply.rejected[0].uuid == first.uuid);
    CHECK(out.reply.rejected[0].code == sync::RejectionCode::conflict);
    CHECK(out.reply.rejected[1].uuid == reused.uuid);
    CHECK(out.reply.rejected[1].code == sync::RejectionCode::sequence_taken);
    CHECK(out.reply.rejected[2].uuid == clash.uuid);
    CHECK(out.reply.rejected[2].code == sync::RejectionCode::sequence_taken);
    CHECK(out.reply.rejected[3].uuid == void_unknown.uuid);
    CHECK(out.reply.rejected[3].code == sync::RejectionCode::not_allowed);
    CHECK(count(*hub.db, "SELECT count(*) FROM check_ins") == 2);
    CHECK(store::find_check_in(*hub.db, first.uuid)->direction == Direction::entry);
    CHECK(store::is_voided(*hub.db, first.uuid));

    // The same upload again: all acked or refused as before, nothing stored now.
    auto again = up.send(batch);
    CHECK(again.stored_now == 0);
    CHECK(again.reply.acked == std::vector<std::string>{first.uuid, first.uuid, earlier.uuid, voids.uuid});
    CHECK(again.reply.rejected.size() == 4);
}

TEST_CASE("an upload longer than one insert statement keeps its refusals in place and stores the rest once",
          "[sync][intake][engines]") {
    test::TestHub hub;
    Upload up(hub, uk_time::now_ms());
    auto stored_before = up.record(300);
    REQUIRE(up.send(sync::UploadBatch{0, {stored_before}, {}, {}}).stored_now == 1);

    const std::size_t n = store::UploadWriter::check_in_chunk * 2 + 37;
    sync::UploadBatch batch;
    std::vector<std::string> expect_acked;
    for (std::size_t i = 1; i <= n; ++i) batch.check_ins.push_back(up.record(static_cast<std::int64_t>(i)));
    batch.check_ins[120].participant_id = 999'999;            // no such participant
    batch.check_ins[150].badge_serial = up.serial + 40;       // a badge never issued
    batch.check_ins[210].device_seq = 300;                    // used by the upload before
    batch.check_ins[230].uuid = batch.check_ins[20].uuid;     // a uuid earlier in this upload, other content
    for (std::size_t i = 0; i < n; ++i)
        if (i != 120 && i != 150 && i != 210 && i != 230) expect_acked.push_back(batch.check_ins[i].uuid);

    auto out = up.send(batch);
    CHECK(out.stored_now == n - 4);
    CHECK(out.reply.acked == expect_acked);
    REQUIRE(out.reply.rejected.size() == 4);
    CHECK(out.reply.rejected[0].code == sync::RejectionCode::unknown_participant);
    CHECK(out.reply.rejected[1].code == sync::RejectionCode::unknown_badge);
    CHECK(out.reply.rejected[2].code == sync::RejectionCode::sequence_taken);
    CHECK(out.reply.rejected[3].code == sync::RejectionCode::conflict);
    CHECK(count(*hub.db, "SELECT count(*) FROM check_ins") == static_cast<std::int64_t>(n - 4 + 1));
    // One sync_seq for the whole upload, every row stamped with it.
    CHECK(count(*hub.db, "SELECT count(DISTINCT sync_seq) FROM check_ins WHERE device_seq <> 300") == 1);

    auto again = up.send(batch);
    CHECK(again.stored_now == 0);
    CHECK(again.reply.acked == expect_acked);
}

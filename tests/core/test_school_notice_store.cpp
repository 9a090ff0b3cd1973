// Notices to schools on a real SQLite hub: a draft marked sent is recorded word for word with
// who it told about, once (idempotent), only if it is still the draft reviewed; the next
// draft leaves those people out.
#include "school_test_hub.hpp"

#include "muster/store/school_notice_store.hpp"

#include <catch2/catch.hpp>

using namespace muster;
using muster::store::MarkSentOutcome;
using muster::test::SchoolHub;

TEST_CASE("a notice marked sent is recorded once and the next draft leaves its people out", "[school][notice][store][engines]") {
    SchoolHub h;
    h.usual_day();
    auto& db = *h.hub.db;
    const store::NoticeAuthor ann{std::nullopt, "  Ann Example "};

    auto draft = store::draft_school_notice(db, h.hub.event, "123456", h.after);
    REQUIRE(draft);
    REQUIRE(draft->lines.size() == 2);

    auto sent = store::mark_notice_sent(db, h.hub.event, "123456", draft->version, ann, h.after);
    REQUIRE(sent.outcome == MarkSentOutcome::recorded);
    REQUIRE(sent.notice);
    CHECK(sent.notice->text == draft->text);
    CHECK(sent.notice->author == "Ann Example");  // trimmed
    CHECK(sent.notice->people.size() == 2);
    CHECK(sent.notice->event_date == "2025-10-01");

    // The same draft again: already recorded, nothing written.
    auto again = store::mark_notice_sent(db, h.hub.event, "123456", draft->version, ann, h.after + 60'000);
    CHECK(again.outcome == MarkSentOutcome::already);
    REQUIRE(again.notice);
    CHECK(again.notice->id == sent.notice->id);
    CHECK(store::list_notices(db, h.hub.event).size() == 1);

    // Nobody new: nothing to send, and the draft says who was told.
    auto next = store::draft_school_notice(db, h.hub.event, "123456", h.after);
    CHECK_FALSE(next->anything_to_send());
    CHECK(next->left_out.size() == 2);

    // Zoë's absence is then excused: the next draft is about her only, as an update.
    h.mark(h.zoe, AttendanceStatus::excused);
    auto update = store::draft_school_notice(db, h.hub.event, "123456", h.after);
    REQUIRE(update->lines.size() == 1);
    CHECK(update->lines[0].participant_id == h.zoe);
    CHECK_THAT(update->text, Catch::Contains("not repeated here: Siân O'Brien."));
    CHECK_THAT(update->text, !Catch::Contains("- Siân"));

    // A draft reviewed before a change is refused, with the current one.
    h.mark(h.sian, AttendanceStatus::excused);
    auto stale = store::mark_notice_sent(db, h.hub.event, "123456", update->version, ann, h.after);
    CHECK(stale.outcome == MarkSentOutcome::changed);
    REQUIRE(stale.draft);
    CHECK(stale.draft->lines.size() == 2);
    auto fresh = store::mark_notice_sent(db, h.hub.event, "123456", stale.draft->version, ann, h.after + 120'000);
    CHECK(fresh.outcome == MarkSentOutcome::recorded);

    auto all = store::list_notices(db, std::nullopt);
    REQUIRE(all.size() == 2);
    CHECK(all[0].id == fresh.notice->id);  // newest first
    CHECK(store::list_notices(db, h.hub.event, std::string_view("234567")).empty());
}

TEST_CASE("marking a notice sent refuses what is not well formed or has nothing to send", "[school][notice][store][engines]") {
    SchoolHub h;
    h.usual_day();
    auto& db = *h.hub.db;
    const store::NoticeAuthor ann{std::nullopt, "Ann Example"};
    const std::string some_version(64, 'a');
    CHECK(store::mark_notice_sent(db, h.hub.event, "12345", some_version, ann, h.after).outcome == MarkSentOutcome::invalid);
    CHECK(store::mark_notice_sent(db, h.hub.event, "123456", "abc", ann, h.after).outcome == MarkSentOutcome::invalid);
    CHECK(store::mark_notice_sent(db, h.hub.event, "123456", some_version, {std::nullopt, "  "}, h.after).outcome ==
          MarkSentOutcome::invalid);
    CHECK(store::mark_notice_sent(db, h.hub.event, "123456", some_version, {std::nullopt, "Ann\nEvil"}, h.after).outcome ==
          MarkSentOutcome::invalid);
    CHECK(store::mark_notice_sent(db, 999, "123456", some_version, ann, h.after).outcome == MarkSentOutcome::not_found);
    // During the event: nothing to send yet.
    auto during = uk_time::from_local({2025, 10, 1, 11, 0, 0});
    CHECK(store::mark_notice_sent(db, h.hub.event, "123456", some_version, ann, during).outcome ==
          MarkSentOutcome::nothing_to_send);
    CHECK(store::list_notices(db, std::nullopt).empty());
}

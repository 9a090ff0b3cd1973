// Non-attendance notices to schools: drafts, the record of those sent (school_notices).
#include "muster/store/school_notice_store.hpp"

#include "muster/store/hub_store.hpp"
#include "muster/util/text.hpp"

#include <map>

namespace muster::store {
namespace {

// What earlier notices for this event and school told, about whom (any order).
std::vector<attendance::ToldBefore> told_before(db::Database& db, EventId event, std::string_view urn) {
    auto s = db.prepare(
        "SELECT p.participant_id, p.status, n.sent_ms FROM school_notice_people p "
        "JOIN school_notices n ON n.id = p.notice_id WHERE n.event_id = ?1 AND n.school_urn = ?2");
    s.bind(1, event).bind(2, urn);
    std::vector<attendance::ToldBefore> out;
    s.for_each_row([&](const db::Statement& r) {
        if (auto status = parse_attendance_status(r.text(1))) out.push_back({r.int64(0), *status, r.int64(2)});
    });
    return out;
}

std::string hub_name(db::Database& db) {
    auto hub = read_hub(db);
    return hub ? hub->name : std::string();
}

attendance::NoticeDraft draft_of(db::Database& db, const attendance::SchoolEventReport& report) {
    auto told = told_before(db, report.event.id, report.urn);
    return attendance::draft_notice(report, told, hub_name(db));
}

std::optional<std::string> author_problem(std::string_view name) {
    if (name.empty()) return "the author's name is missing";
    if (name.size() > 320) return "the author's name is too long (80 characters at most)";
    std::size_t chars = 0;
    for (unsigned char c : name) {
        if (c < 0x20 || c == 0x7F) return "the author's name has a control character";
        chars += (c & 0xC0) != 0x80;
    }
    if (chars > 80) return "the author's name is too long (80 characters at most)";
    if (!text::is_valid_utf8(name)) return "the author's name is not UTF-8 text";
    return std::nullopt;
}

}  // namespace

std::string_view to_string(MarkSentOutcome o) {
    switch (o) {
        case MarkSentOutcome::recorded: return "recorded";
        case MarkSentOutcome::already: return "already";
        case MarkSentOutcome::changed: return "changed";
        case MarkSentOutcome::nothing_to_send: return "nothing_to_send";
        case MarkSentOutcome::not_found: return "not_found";
        case MarkSentOutcome::invalid: return "invalid";
    }
    return "?";
}

std::optional<attendance::NoticeDraft> draft_school_notice(db::Database& db, EventId event, std::string_view urn,
                                                           TimeMs now) {
    auto report = load_school_report(db, event, urn, now);
    if (!report) return std::nullopt;
    return draft_of(db, *report);
}

MarkSentResult mark_notice_sent(db::Database& db, EventId event, std::string_view urn, std::string_view version,
                                const NoticeAuthor& by, TimeMs now) {
    MarkSentResult out;
    const std::string author(text::trim(by.name));
    if (!is_urn(urn)) {
        out.problem = "the school's URN is 6 digits";
        return out;
    }
    if (auto problem = author_problem(author)) {
        out.problem = *problem;
        return out;
    }
    if (version.size() != 64 || version.find_first_not_of("0123456789abcdef") != std::string_view::npos) {
        out.problem = "the draft's version is the 64 hex digits its draft gave";
        return out;
    }
    // The attendance is read first (its own read transaction); the notices, which decide who
    // was told already, are read again under the write lock, so two staff marking the same
    // school at once cannot both record a notice about one person. Attendance that changed
    // between the review and this read changes the text, so the version no longer matches.
    auto report = load_school_report(db, event, urn, now);
    if (!report) {
        out.outcome = MarkSentOutcome::not_found;
        out.problem = "no event " + std::to_string(event);
        return out;
    }
    db::Transaction tx(db);
    auto existing = list_notices(db, event, urn);
    for (auto& n : existing)
        if (n.version == version) {
            out.outcome = MarkSentOutcome::already;
            out.notice = std::move(n);
            return out;
        }
    auto draft = draft_of(db, *report);
    if (!draft.anything_to_send()) {
        out.outcome = MarkSentOutcome::nothing_to_send;
        out.problem = report->held ? "nothing new to tell this school about this event" : "the event is not over yet";
        out.draft = std::move(draft);
        return out;
    }
    if (draft.version != version) {
        out.outcome = MarkSentOutcome::changed;
        out.problem = "the draft has changed since it was reviewed: read it again";
        out.draft = std::move(draft);
        return out;
    }
    auto ins = db.prepare(
        "INSERT INTO school_notices (event_id, school_urn, sent_ms, staff_id, author, body, version) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id");
    ins.bind(1, event).bind(2, urn).bind(3, now).bind(4, by.staff_id).bind(5, author).bind(6, draft.text).bind(7, draft.version);
    const auto id = ins.query_one([](const db::Statement& r) { return r.int64(0); }).value_or(0);
    auto person = db.prepare("INSERT INTO school_notice_people (notice_id, participant_id, status) VALUES (?1, ?2, ?3)");
    for (const auto& l : draft.lines) {
        person.bind(1, id).bind(2, l.participant_id).bind(3, to_string(l.status));
        person.run();
        person.reset();
    }
    auto recorded = list_notices(db, event, urn);
    tx.commit();
    out.outcome = MarkSentOutcome::recorded;
    for (auto& n : recorded)
        if (n.id == id) out.notice = std::move(n);
    return out;
}

std::vector<SentNotice> list_notices(db::Database& db, std::optional<EventId> event, std::optional<std::string_view> urn) {
    auto s = db.prepare(
        "SELECT n.id, n.event_id, e.title, e.local_date, n.school_urn, n.sent_ms, n.staff_id, n.author, n.body, n.version "
        "FROM school_notices n JOIN events e ON e.id = n.event_id "
        "WHERE (CAST(?1 AS BIGINT) IS NULL OR n.event_id = ?1) AND (CAST(?2 AS TEXT) IS NULL OR n.school_urn = ?2) ORDER BY n.sent_ms DESC, n.id DESC");
    s.bind(1, event);
    if (urn) s.bind(2, *urn);
    else s.bind(2, nullptr);
    std::vector<SentNotice> out;
    std::map<std::int64_t, std::size_t> index;
    s.for_each_row([&](const db::Statement& r) {
        SentNotice n;
        n.id = r.int64(0);
        n.event_id = r.int64(1);
        n.event_title = r.text(2);
        n.event_date = r.text(3);
        n.urn = r.text(4);
        n.sent_ms = r.int64(5);
        n.staff_id = r.opt_int64(6);
        n.author = r.text(7);
        n.text = r.text(8);
        n.version = r.text(9);
        index.emplace(n.id, out.size());
        out.push_back(std::move(n));
    });
    if (out.empty()) return out;
    auto people = db.prepare(
        "SELECT np.notice_id, np.participant_id, p.first_name, p.last_name, np.status FROM school_notice_people np "
        "JOIN school_notices n ON n.id = np.notice_id JOIN participants p ON p.id = np.participant_id "
        "WHERE (CAST(?1 AS BIGINT) IS NULL OR n.event_id = ?1) AND (CAST(?2 AS TEXT) IS NULL OR n.school_urn = ?2) ORDER BY p.last_name, p.first_name");
    people.bind(1, event);
    if (urn) people.bind(2, *urn);
    else people.bind(2, nullptr);
    people.for_each_row([&](const db::Statement& r) {
        auto at = index.find(r.int64(0));
        if (at == index.end()) return;
        Participant p;
        p.first_name = r.text(2);
        p.last_name = r.text(3);
        out[at->second].people.push_back(
            {r.int64(1), p.full_name(), parse_attendance_status(r.text(4)).value_or(AttendanceStatus::absent)});
    });
    return out;
}

}  // namespace muster::store

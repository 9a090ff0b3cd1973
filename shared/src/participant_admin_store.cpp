#include "muster/store/participant_admin.hpp"

#include "muster/store/event_admin_store.hpp"
#include "muster/store/event_store.hpp"
#include "muster/store/participant_store.hpp"
#include "muster/util/text.hpp"

namespace muster::store {
namespace {

const std::string person_columns = std::string(participant_columns) + ", withdrawn_ms, withdrawn_reason";

Person read_person(const db::Statement& r) {
    return {read_participant(r), r.opt_int64(15), r.opt_text(16)};
}

EnrolmentLine read_enrolment_line(const db::Statement& r) {
    return {r.int64(0), r.text(1), r.text(2), r.opt_text(3), r.opt_int64(4).has_value()};
}

}  // namespace

std::optional<Person> find_person(db::Database& db, ParticipantId id) {
    auto& s = db.cached("SELECT " + person_columns + " FROM participants WHERE id = ?1");
    s.bind(1, id);
    return s.query_one(read_person);
}

std::vector<Person> list_people(db::Database& db, const PersonFilter& filter) {
    auto& s = db.cached("SELECT " + person_columns + " FROM participants WHERE (CAST(?1 AS TEXT) IS NULL OR role = ?1) "
                        "AND (?2 = 0 OR withdrawn_ms IS NOT NULL) ORDER BY id");
    std::optional<std::string> role;
    if (filter.role) role = std::string(to_string(*filter.role));
    s.bind(1, role).bind(2, std::int64_t{filter.withdrawn_only});
    return s.query_all(read_person);
}

std::vector<Person> search_people(db::Database& db, std::string_view text) {
    std::string q(text::trim(text));
    if (q.empty()) return {};
    // A substring match on lower(): no LIKE wildcards to escape. lower() folds ASCII only on
    // both engines (SQLite's own; PostgreSQL's in the hub's C-collation database), so "sian"
    // finds "Sian" but not "Siân" (accents as stored). SQLite calls the function instr,
    // PostgreSQL strpos (same arguments, same 1-based answer, 0 when absent).
    const std::string at = db.engine() == db::Engine::postgresql ? "strpos" : "instr";
    auto found = [&](const std::string& haystack, const std::string& needle) {
        return at + "(" + haystack + ", " + needle + ") > 0";
    };
    auto& s = db.cached("SELECT " + person_columns + " FROM participants WHERE " +
                        found("lower(first_name)", "lower(?1)") + " OR " + found("lower(last_name)", "lower(?1)") +
                        " OR " + found("lower(coalesce(preferred_name, ''))", "lower(?1)") +
                        " OR " + found("lower(first_name || ' ' || last_name)", "lower(?1)") +
                        " OR " + found("lower(coalesce(preferred_name, '') || ' ' || last_name)", "lower(?1)") +
                        " OR " + found("coalesce(trn, '')", "CAST(?1 AS TEXT)") +
                        " OR " + found("lower(coalesce(email, ''))", "lower(?1)") +
                        " OR " + found("lower(coalesce(school_name, ''))", "lower(?1)") + " ORDER BY id");
    s.bind(1, q);
    return s.query_all(read_person);
}

std::vector<EnrolmentLine> enrolments_of(db::Database& db, ParticipantId id) {
    auto& s = db.cached("SELECT e.id, e.local_date, e.title, r.name, e.cancelled_ms FROM enrolments n "
                        "JOIN events e ON e.id = n.event_id LEFT JOIN rooms r ON r.id = n.room_id "
                        "WHERE n.participant_id = ?1 ORDER BY e.local_date, e.id");
    s.bind(1, id);
    return s.query_all(read_enrolment_line);
}

std::vector<std::string> cards_of(db::Database& db, ParticipantId id) {
    auto& s = db.cached("SELECT uid FROM nfc_cards WHERE participant_id = ?1 AND detached_ms IS NULL ORDER BY uid");
    s.bind(1, id);
    return s.query_all([](const db::Statement& r) { return r.text(0); });
}

bool save_person(db::Database& db, const Participant& p, std::int64_t change) {
    if (!find_participant(db, p.id)) throw PersonError("no participant " + std::to_string(p.id));
    if (p.trn)
        if (auto other = find_participant_by_trn(db, *p.trn); other && *other != p.id)
            throw PersonError("TRN " + *p.trn + " already belongs to participant " + std::to_string(*other) +
                             " (muster roster show " + std::to_string(*other) + "): nothing was changed");
    if (p.email)
        if (auto other = find_participant_by_email(db, *p.email); other && *other != p.id)
            throw PersonError("email " + *p.email + " already belongs to participant " + std::to_string(*other) +
                             " (muster roster show " + std::to_string(*other) + "): nothing was changed");
    if (!p.trn && !p.email) throw PersonError("a participant needs a TRN or an email address to be told apart from others");
    return update_participant(db, p.id, p, change);
}

Withdrawal withdraw_person(db::Database& db, ParticipantId id, const std::string& reason, const std::string& from_date,
                           TimeMs now) {
    db::Transaction tx(db);
    auto person = find_person(db, id);
    if (!person) throw PersonError("no participant " + std::to_string(id));
    if (person->withdrawn_ms) throw PersonError("participant " + std::to_string(id) + " is already withdrawn");
    std::int64_t change = next_change(db);
    auto& mark = db.cached("UPDATE participants SET withdrawn_ms = ?2, withdrawn_reason = ?3 WHERE id = ?1");
    mark.bind(1, id).bind(2, now).bind(3, reason);
    mark.run();
    Withdrawal out;
    for (auto& line : enrolments_of(db, id)) {
        if (line.local_date < from_date) continue;
        // A withdrawn facilitator also leaves the room they ran.
        if (take_off_event(db, line.event_id, id, change).was_enrolled) out.removed.push_back(std::move(line));
    }
    tx.commit();
    return out;
}

void reinstate_person(db::Database& db, ParticipantId id) {
    db::Transaction tx(db);
    auto person = find_person(db, id);
    if (!person) throw PersonError("no participant " + std::to_string(id));
    if (!person->withdrawn_ms) throw PersonError("participant " + std::to_string(id) + " is not withdrawn");
    next_change(db);  // the hub's data changed; nothing a device holds did
    auto& clear = db.cached("UPDATE participants SET withdrawn_ms = NULL, withdrawn_reason = NULL WHERE id = ?1");
    clear.bind(1, id);
    clear.run();
    tx.commit();
}

}  // namespace muster::store

#include "muster/store/participant_store.hpp"

#include "muster/util/text.hpp"

namespace muster::store {

Participant read_participant(const db::Statement& s) {
    Participant p;
    p.id = s.int64(0);
    p.trn = s.opt_text(1);
    p.email = s.opt_text(2);
    p.first_name = s.text(3);
    p.last_name = s.text(4);
    p.preferred_name = s.opt_text(5);
    p.school_name = s.opt_text(6);
    p.school_urn = s.opt_text(7);
    p.role = parse_role(s.text(8)).value_or(Role::guest);
    p.programme = s.opt_text(9);
    if (auto c = s.opt_int64(10)) p.cohort = static_cast<int>(*c);
    if (auto y = s.opt_int64(11)) p.programme_year = static_cast<int>(*y);
    p.part_time = s.int64(12) != 0;
    p.lead_provider = s.opt_text(13);
    p.delivery_partner = s.opt_text(14);
    return p;
}

namespace {

constexpr std::string_view columns = participant_columns;

std::optional<std::int64_t> opt(std::optional<int> v) {
    return v ? std::optional<std::int64_t>(*v) : std::nullopt;
}

// Binds ?1..?14 in the order of `columns` minus the id.
void bind_fields(db::Statement& s, const Participant& p) {
    s.bind(1, p.trn).bind(2, p.email).bind(3, p.first_name).bind(4, p.last_name).bind(5, p.preferred_name);
    s.bind(6, p.school_name).bind(7, p.school_urn).bind(8, to_string(p.role)).bind(9, p.programme);
    s.bind(10, opt(p.cohort)).bind(11, opt(p.programme_year)).bind(12, std::int64_t{p.part_time});
    s.bind(13, p.lead_provider).bind(14, p.delivery_partner);
}

}  // namespace

std::int64_t next_change(db::Database& db) {
    auto& s = db.cached("UPDATE change_clock SET value = value + 1 WHERE id = 1 RETURNING value");
    if (auto v = s.query_one([](const db::Statement& r) { return r.int64(0); })) return *v;
    throw db::Error(0, db.path() + " has no change clock");
}

std::int64_t current_change(db::Database& db) {
    auto& s = db.cached("SELECT value FROM change_clock WHERE id = 1");
    if (auto v = s.query_one([](const db::Statement& r) { return r.int64(0); })) return *v;
    throw db::Error(0, db.path() + " has no change clock");
}

std::optional<Participant> find_participant(db::Database& db, ParticipantId id) {
    auto& s = db.cached("SELECT " + std::string(columns) + " FROM participants WHERE id = ?1");
    s.bind(1, id);
    return s.query_one(read_participant);
}

std::optional<ParticipantId> find_participant_by_trn(db::Database& db, std::string_view trn) {
    auto& s = db.cached("SELECT id FROM participants WHERE trn = ?1");
    s.bind(1, trn);
    return s.query_one([](const db::Statement& r) { return r.int64(0); });
}

std::optional<ParticipantId> find_participant_by_email(db::Database& db, std::string_view email) {
    auto& s = db.cached("SELECT id FROM participants WHERE lower(email) = lower(?1)");
    s.bind(1, email);
    return s.query_one([](const db::Statement& r) { return r.int64(0); });
}

ParticipantId insert_participant(db::Database& db, const Participant& p, std::int64_t change) {
    auto& s = db.cached(
        "INSERT INTO participants (trn, email, first_name, last_name, preferred_name, school_name, school_urn, role, "
        "programme, cohort, programme_year, part_time, lead_provider, delivery_partner, changed_at) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15) RETURNING id");
    bind_fields(s, p);
    s.bind(15, change);
    return s.query_one([](const db::Statement& r) { return r.int64(0); }).value();
}

bool update_participant(db::Database& db, ParticipantId id, const Participant& p, std::int64_t change) {
    // IS DISTINCT FROM (SQLite's IS NOT) compares NULLs as values, so an unchanged row is
    // left alone (and keeps its changed_at, so devices are not sent it again).
    auto& s = db.cached(
        "UPDATE participants SET trn = ?1, email = ?2, first_name = ?3, last_name = ?4, preferred_name = ?5, "
        "school_name = ?6, school_urn = ?7, role = ?8, programme = ?9, cohort = ?10, programme_year = ?11, "
        "part_time = ?12, lead_provider = ?13, delivery_partner = ?14, changed_at = ?15 "
        "WHERE id = ?16 AND (trn IS DISTINCT FROM ?1 OR email IS DISTINCT FROM ?2 OR first_name IS DISTINCT FROM ?3 "
        "OR last_name IS DISTINCT FROM ?4 OR preferred_name IS DISTINCT FROM ?5 OR school_name IS DISTINCT FROM ?6 "
        "OR school_urn IS DISTINCT FROM ?7 OR role IS DISTINCT FROM ?8 OR programme IS DISTINCT FROM ?9 "
        "OR cohort IS DISTINCT FROM ?10 OR programme_year IS DISTINCT FROM ?11 OR part_time IS DISTINCT FROM ?12 "
        "OR lead_provider IS DISTINCT FROM ?13 OR delivery_partner IS DISTINCT FROM ?14)");
    bind_fields(s, p);
    s.bind(15, change).bind(16, id);
    s.run();
    return db.changes() > 0;
}

std::vector<Participant> search_participants(db::Database& db, std::string_view query, int limit) {
    std::string q(text::trim(query));
    if (q.empty()) return {};
    // LIKE patterns are bound values; escape the wildcards a person might type. LIKE ignores
    // case on SQLite but not on PostgreSQL: both sides are lower()ed, so it is the same on both.
    std::string like = text::replace_all(text::replace_all(text::replace_all(q, "\\", "\\\\"), "%", "\\%"), "_", "\\_") + "%";
    auto& s = db.cached("SELECT " + std::string(columns) +
                        " FROM participants WHERE trn LIKE lower(?1) ESCAPE '\\' OR lower(first_name) LIKE lower(?1) ESCAPE '\\' "
                        "OR lower(last_name) LIKE lower(?1) ESCAPE '\\' OR lower(preferred_name) LIKE lower(?1) ESCAPE '\\' "
                        "OR lower(first_name || ' ' || last_name) LIKE lower(?1) ESCAPE '\\' "
                        "ORDER BY lower(last_name), lower(first_name), id LIMIT ?2");
    s.bind(1, like).bind(2, limit);
    return s.query_all(read_participant);
}

std::vector<Participant> all_participants(db::Database& db) {
    return db.prepare("SELECT " + std::string(columns) + " FROM participants ORDER BY id").query_all(read_participant);
}

std::size_t count_participants(db::Database& db) {
    auto count = db.prepare("SELECT count(*) FROM participants").query_one([](const db::Statement& r) { return r.int64(0); });
    return static_cast<std::size_t>(count.value());
}

}  // namespace muster::store

#include "muster/store/register_link_store.hpp"

#include "muster/model/field_limits.hpp"
#include "muster/store/participant_store.hpp"

#include <stdexcept>

namespace muster::store {
namespace {

using register_access::SecretHash;

// Binding a hash: the key every lookup goes by.
db::Statement& bind_hash(db::Statement& s, int index, const SecretHash& h) {
    s.bind_blob(index, h.data(), h.size());
    return s;
}

struct EventFacts {
    std::string local_date;
    bool cancelled = false;
};

std::optional<EventFacts> event_facts(db::Database& db, EventId event) {
    auto& s = db.cached("SELECT local_date, cancelled_ms IS NOT NULL FROM events WHERE id = ?1");
    s.bind(1, event);
    return s.query_one([](const db::Statement& r) { return EventFacts{r.text(0), r.int64(1) != 0}; });
}

std::optional<EventId> event_of_room(db::Database& db, RoomId room) {
    auto& s = db.cached("SELECT event_id FROM rooms WHERE id = ?1");
    s.bind(1, room);
    return s.query_one([](const db::Statement& r) { return r.int64(0); });
}

// What a link's row says at `now`, in the order a refusal is told: a withdrawn link is
// withdrawn whatever else; an out-of-date one is out of date even if it was used.
struct LinkState {
    std::int64_t id = 0;
    EventId event_id = 0;
    std::optional<RoomId> room_id;
    TimeMs expires_ms = 0;
    std::optional<TimeMs> used_ms, revoked_ms;
};

LinkState read_link_state(const db::Statement& r) {
    return {r.int64(0), r.int64(1), r.opt_int64(2), r.int64(3), r.opt_int64(4), r.opt_int64(5)};
}

}  // namespace

std::string_view to_string(LinkRefusal r) {
    switch (r) {
        case LinkRefusal::no_such_event: return "no_such_event";
        case LinkRefusal::event_cancelled: return "event_cancelled";
        case LinkRefusal::room_not_in_event: return "room_not_in_event";
        case LinkRefusal::event_over: return "event_over";
    }
    return "?";
}

std::string_view to_string(LinkStatus s) {
    switch (s) {
        case LinkStatus::unused: return "unused";
        case LinkStatus::in_use: return "in_use";
        case LinkStatus::expired: return "expired";
        case LinkStatus::revoked: return "revoked";
    }
    return "?";
}

std::string_view to_string(ExchangeRefusal r) {
    switch (r) {
        case ExchangeRefusal::unknown: return "unknown";
        case ExchangeRefusal::used_already: return "used_already";
        case ExchangeRefusal::expired: return "expired";
        case ExchangeRefusal::revoked: return "revoked";
    }
    return "?";
}

std::string_view to_string(SessionRefusal r) {
    switch (r) {
        case SessionRefusal::unknown: return "unknown";
        case SessionRefusal::expired: return "expired";
        case SessionRefusal::revoked: return "revoked";
    }
    return "?";
}

LinkCreation create_link(db::Database& db, const NewRegisterLink& spec, TimeMs now) {
    if (spec.label)
        if (auto problem = limits::text_problem(*spec.label, limits::label_chars))
            throw std::invalid_argument("label: " + *problem);
    db::Transaction tx(db);
    auto event = event_facts(db, spec.event_id);
    if (!event) return {std::nullopt, LinkRefusal::no_such_event};
    if (event->cancelled) return {std::nullopt, LinkRefusal::event_cancelled};
    if (spec.room_id && event_of_room(db, *spec.room_id) != spec.event_id) return {std::nullopt, LinkRefusal::room_not_in_event};
    auto expires = register_access::end_of_uk_day(event->local_date);
    if (!expires || *expires <= now) return {std::nullopt, LinkRefusal::event_over};

    CreatedLink link{0, register_access::make_link_code(), *expires};
    auto& s = db.cached(
        "INSERT INTO register_links (event_id, room_id, code_hash, label, created_ms, expires_ms) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING id");
    s.bind(1, spec.event_id).bind(2, spec.room_id);
    bind_hash(s, 3, register_access::hash_secret(link.code)).bind(4, spec.label).bind(5, now).bind(6, *expires);
    link.id = s.query_one([](const db::Statement& r) { return r.int64(0); }).value_or(0);
    tx.commit();
    return {std::move(link), {}};
}

std::vector<LinkListing> list_links(db::Database& db, std::optional<EventId> event, TimeMs now) {
    auto& s = db.cached(
        "SELECT l.id, l.event_id, l.room_id, l.label, l.created_ms, l.expires_ms, l.used_ms, l.revoked_ms, "
        "(SELECT max(last_seen_ms) FROM register_sessions WHERE link_id = l.id) "
        "FROM register_links l WHERE CAST(?1 AS BIGINT) IS NULL OR l.event_id = ?1 ORDER BY l.id");
    s.bind(1, event);
    return s.query_all([now](const db::Statement& r) {
        LinkListing l;
        l.id = r.int64(0);
        l.event_id = r.int64(1);
        l.room_id = r.opt_int64(2);
        l.label = r.opt_text(3);
        l.created_ms = r.int64(4);
        l.expires_ms = r.int64(5);
        l.used_ms = r.opt_int64(6);
        l.revoked_ms = r.opt_int64(7);
        l.last_seen_ms = r.opt_int64(8);
        l.status = l.revoked_ms ? LinkStatus::revoked
                   : now >= l.expires_ms ? LinkStatus::expired
                   : l.used_ms ? LinkStatus::in_use
                               : LinkStatus::unused;
        return l;
    });
}

LinkRevocation revoke_link(db::Database& db, std::int64_t id, TimeMs now) {
    // The session is refused through its link (check_session reads revoked_ms), so one
    // write ends both; the session row stays so the tablet is told "revoked", not "unknown".
    db::Transaction tx(db);
    auto& s = db.cached("UPDATE register_links SET revoked_ms = ?2 WHERE id = ?1 AND revoked_ms IS NULL");
    s.bind(1, id).bind(2, now);
    s.run();
    if (db.changes() > 0) {
        // A tick of the change clock: the server (watching it) wakes the link's open streams,
        // which check their session before the next event and end at once, rather than at
        // their next keep-alive (15 s). Devices asking for changes find nothing new.
        next_change(db);
        tx.commit();
        return LinkRevocation::revoked;
    }
    auto& exists = db.cached("SELECT 1 FROM register_links WHERE id = ?1");
    exists.bind(1, id);
    return exists.query_one([](const db::Statement&) { return true; }) ? LinkRevocation::already_revoked
                                                                         : LinkRevocation::no_such_link;
}

Exchange exchange(db::Database& db, std::string_view code, TimeMs now) {
    auto code_hash = register_access::parse_secret(code);
    if (!code_hash) return {std::nullopt, ExchangeRefusal::unknown};

    // Immediate: the read and the "used" mark are one step, so two exchanges of one code
    // (two tablets, a retried request, two server threads) cannot both succeed.
    db::Transaction tx(db);
    auto& find = db.cached(
        "SELECT l.id, l.event_id, l.room_id, l.expires_ms, l.used_ms, COALESCE(l.revoked_ms, e.cancelled_ms) "
        "FROM register_links l JOIN events e ON e.id = l.event_id WHERE l.code_hash = ?1");  // a cancelled event revokes
    bind_hash(find, 1, *code_hash);
    auto link = find.query_one(read_link_state);
    if (!link) return {std::nullopt, ExchangeRefusal::unknown};
    if (link->revoked_ms) return {std::nullopt, ExchangeRefusal::revoked};
    if (now >= link->expires_ms) return {std::nullopt, ExchangeRefusal::expired};
    if (link->used_ms) return {std::nullopt, ExchangeRefusal::used_already};

    auto& used = db.cached("UPDATE register_links SET used_ms = ?2 WHERE id = ?1 AND used_ms IS NULL");
    used.bind(1, link->id).bind(2, now);
    used.run();

    NewSession session;
    session.cookie_value = register_access::make_cookie_value();
    session.csrf_token = register_access::csrf_token_for(session.cookie_value);
    session.scope = {link->id, link->event_id, link->room_id, link->expires_ms};
    auto& insert = db.cached(
        "INSERT INTO register_sessions (session_hash, link_id, created_ms, expires_ms, last_seen_ms) "
        "VALUES (?1, ?2, ?3, ?4, ?3)");
    bind_hash(insert, 1, register_access::hash_secret(session.cookie_value));
    insert.bind(2, link->id).bind(3, now).bind(4, link->expires_ms);
    insert.run();
    tx.commit();
    return {std::move(session), {}};
}

SessionCheck check_session(db::Database& db, std::string_view cookie_value, TimeMs now) {
    auto session_hash = register_access::parse_secret(cookie_value);
    if (!session_hash) return {std::nullopt, {}, SessionRefusal::unknown};
    auto& find = db.cached(
        "SELECT l.id, l.event_id, l.room_id, s.expires_ms, l.revoked_ms IS NOT NULL OR e.cancelled_ms IS NOT NULL, "
        "s.last_seen_ms FROM register_sessions s JOIN register_links l ON l.id = s.link_id "
        "JOIN events e ON e.id = l.event_id WHERE s.session_hash = ?1");  // a cancelled event revokes its links
    bind_hash(find, 1, *session_hash);
    struct Row {
        register_access::Scope scope;
        bool revoked = false;
        TimeMs last_seen_ms = 0;
    };
    auto row = find.query_one([](const db::Statement& r) {
        return Row{{r.int64(0), r.int64(1), r.opt_int64(2), r.int64(3)}, r.int64(4) != 0, r.int64(5)};
    });
    if (!row) return {std::nullopt, {}, SessionRefusal::unknown};
    if (row->revoked) return {std::nullopt, {}, SessionRefusal::revoked};
    if (now >= row->scope.expires_ms) return {std::nullopt, {}, SessionRefusal::expired};

    if (now - row->last_seen_ms >= 60'000) {
        auto& seen = db.cached("UPDATE register_sessions SET last_seen_ms = ?2 WHERE session_hash = ?1");
        bind_hash(seen, 1, *session_hash).bind(2, now);
        seen.run();
    }
    return {row->scope, register_access::csrf_token_for(cookie_value), {}};
}

}  // namespace muster::store

#pragma once
// Links to the facilitators' live register and the sessions they are exchanged for
// (docs/register.md). Only hashes of the codes and cookie values are stored, and rows are
// looked up by those hashes. Nothing here logs: a code or cookie value must never reach a log.
#include "muster/db/database.hpp"
#include "muster/register/register_access.hpp"

#include <optional>
#include <string>
#include <vector>

namespace muster::store {

// ---- making links ----
struct NewRegisterLink {
    EventId event_id = 0;
    std::optional<RoomId> room_id;  // nullopt: the whole event (hub staff)
    std::optional<std::string> label;
};
enum class LinkRefusal { no_such_event, event_cancelled, room_not_in_event, event_over };
std::string_view to_string(LinkRefusal r);

struct CreatedLink {
    std::int64_t id = 0;
    std::string code;  // shown once (in the printed link); only its hash is kept
    TimeMs expires_ms = 0;
};
struct LinkCreation {
    std::optional<CreatedLink> link;
    LinkRefusal refusal{};  // when !link
};
// Refuses an event that is not there or was cancelled, a room of another event (or none),
// and an event whose UK day is over at `now`. The label must be within limits::label_chars
// and free of control characters (std::invalid_argument otherwise).
LinkCreation create_link(db::Database& db, const NewRegisterLink& spec, TimeMs now);

// ---- listing and revoking ----
enum class LinkStatus { unused, in_use, expired, revoked };
std::string_view to_string(LinkStatus s);
struct LinkListing {
    std::int64_t id = 0;
    EventId event_id = 0;
    std::optional<RoomId> room_id;
    std::optional<std::string> label;
    TimeMs created_ms = 0, expires_ms = 0;
    std::optional<TimeMs> used_ms, revoked_ms, last_seen_ms;
    LinkStatus status = LinkStatus::unused;  // revoked, else expired, else in use (used_ms), else unused
};
// Every link (or those of one event), oldest first.
std::vector<LinkListing> list_links(db::Database& db, std::optional<EventId> event, TimeMs now);

enum class LinkRevocation { revoked, already_revoked, no_such_link };
// Withdraws a link: its code can no longer be exchanged and its session is refused at its
// next request.
LinkRevocation revoke_link(db::Database& db, std::int64_t id, TimeMs now);

// ---- exchanging a code, checking a session ----
// A malformed code (wrong length or alphabet) is `unknown`: it is refused before any lookup.
enum class ExchangeRefusal { unknown, used_already, expired, revoked };
std::string_view to_string(ExchangeRefusal r);
struct NewSession {
    std::string cookie_value;  // for Set-Cookie only (register_access::set_cookie_header)
    std::string csrf_token;    // for the page; every POST carries it
    register_access::Scope scope;
};
struct Exchange {
    std::optional<NewSession> session;
    ExchangeRefusal refusal{};  // when !session
};
// Trades a link's one-time code for a new session, once: the code is marked used in the same
// transaction, so two tablets racing with one code get one session between them. Hub staff
// answer a second tablet with a new link.
Exchange exchange(db::Database& db, std::string_view code, TimeMs now);

// A malformed cookie value is `unknown`, refused before any lookup.
enum class SessionRefusal { unknown, expired, revoked };
std::string_view to_string(SessionRefusal r);
struct SessionCheck {
    std::optional<register_access::Scope> scope;
    std::string csrf_token;  // the session's, for the page (and csrf_matches on a POST)
    SessionRefusal refusal{};  // when !scope
};
// The session a cookie value belongs to, while its link stands and its day lasts. Moves the
// session's last_seen_ms on (at most once a minute, so a page's requests are not each a write).
SessionCheck check_session(db::Database& db, std::string_view cookie_value, TimeMs now);

}  // namespace muster::store

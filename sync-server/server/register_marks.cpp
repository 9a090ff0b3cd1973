// Marks from the facilitators' tablets (docs/register.md, "Marks from the tablet"): the two
// POSTs, once RegisterApi::Impl::handle has checked the session, its CSRF token, the
// content type and the origin. The rules are the store's (store/register_mark_store.hpp);
// this file reads the JSON, answers, logs and tells the change feed.
#include "register_marks.hpp"

#include "register_api.hpp"

#include "muster/db/database.hpp"
#include "muster/store/register_mark_store.hpp"

#include <boost/json.hpp>

namespace muster::server {

namespace json = boost::json;

namespace {

ApiResponse mark_reply(HttpStatus status, json::object body, TimeMs now) {
    return ApiResponse{status, json::serialize(body), now, "application/json; charset=utf-8",
                       register_security_headers()};
}

ApiResponse mark_refusal(HttpStatus status, std::string_view code, std::string_view message, TimeMs now) {
    return mark_reply(status, json::object{{"error", message}, {"code", code}}, now);
}

const json::value* field(const json::object& o, std::string_view key) { return o.if_contains(key); }

std::optional<std::string> text_field(const json::object& o, std::string_view key) {
    auto* v = field(o, key);
    if (!v || !v->is_string()) return std::nullopt;
    return std::string(v->as_string().data(), v->as_string().size());
}

std::optional<std::int64_t> int_field(const json::object& o, std::string_view key) {
    auto* v = field(o, key);
    if (!v) return std::nullopt;
    if (v->is_int64()) return v->as_int64();
    if (v->is_uint64() && v->as_uint64() <= static_cast<std::uint64_t>(INT64_MAX))
        return static_cast<std::int64_t>(v->as_uint64());
    return std::nullopt;
}

// The body as a mark, or nothing when a field is missing or of the wrong type.
std::optional<store::NewMark> mark_from(const json::object& o) {
    auto uuid = text_field(o, "uuid"), kind = text_field(o, "kind"), reason = text_field(o, "reason");
    auto author = text_field(o, "author");
    auto participant = int_field(o, "participant_id"), session = int_field(o, "session_id");
    if (!uuid || !kind || !reason || !author || !participant || !session) return std::nullopt;
    auto k = store::parse_mark_kind(*kind);
    if (!k) return std::nullopt;
    store::NewMark m;
    m.uuid = *uuid;
    m.kind = *k;
    m.reason = *reason;
    m.author = *author;
    m.participant_id = *participant;
    m.session_id = *session;
    if (auto* note = field(o, "note"); note && !note->is_null()) {
        if (!note->is_string()) return std::nullopt;
        m.note = std::string(note->as_string().data(), note->as_string().size());
    }
    if (auto* room = field(o, "room_id"); room && !room->is_null()) {
        auto id = int_field(o, "room_id");
        if (!id) return std::nullopt;
        m.room_id = *id;
    }
    return m;
}

HttpStatus status_of(store::MarkOutcome o) {
    switch (o) {
        case store::MarkOutcome::stored: return HttpStatus::created;
        case store::MarkOutcome::already: return HttpStatus::ok;
        case store::MarkOutcome::conflict: return HttpStatus::conflict;
        case store::MarkOutcome::invalid: return HttpStatus::bad_request;
        case store::MarkOutcome::forbidden: return HttpStatus::forbidden;
        case store::MarkOutcome::not_found: return HttpStatus::not_found;
    }
    return HttpStatus::bad_request;
}

std::string_view code_of(store::MarkOutcome o) {
    switch (o) {
        case store::MarkOutcome::conflict: return "conflict";
        case store::MarkOutcome::forbidden: return "forbidden";
        case store::MarkOutcome::not_found: return "not_found";
        default: return "bad_request";
    }
}

}  // namespace

ApiResponse post_register_mark(const ApiRequest& r, const register_access::Scope& scope, bool undo, TimeMs now,
                               const WithDatabase& with_db, log::Logger& log, ChangeFeed* feed) {
    boost::system::error_code ec;
    auto body = json::parse(r.body, ec);
    if (ec || !body.is_object())
        return mark_refusal(HttpStatus::bad_request, "bad_request", "The body must be a JSON object.", now);
    const auto& o = body.as_object();

    std::string uuid;
    store::MarkResult result;
    if (undo) {
        auto u = text_field(o, "uuid"), target = text_field(o, "target_uuid"), author = text_field(o, "author");
        if (!u || !target || !author)
            return mark_refusal(HttpStatus::bad_request, "bad_request",
                                R"(The body must be JSON: {"uuid", "target_uuid", "author"}.)", now);
        uuid = *u;
        with_db([&](db::Database& db) { result = store::undo_mark(db, scope, store::NewUndo{*u, *target, *author}, now); });
    } else {
        auto m = mark_from(o);
        if (!m)
            return mark_refusal(HttpStatus::bad_request, "bad_request",
                                R"(The body must be JSON: {"uuid", "participant_id", "kind", "reason", "note", )"
                                R"("author", "session_id", "room_id"}.)",
                                now);
        uuid = m->uuid;
        with_db([&](db::Database& db) { result = store::record_mark(db, scope, std::move(*m), now); });
    }

    const std::string_view path = undo ? "/register/api/marks/undo" : "/register/api/marks";
    if (result.outcome != store::MarkOutcome::stored && result.outcome != store::MarkOutcome::already) {
        // Never the author's name or the note: those are personal data.
        log.warn("register_refused", {{"path", std::string(path)}, {"reason", std::string(code_of(result.outcome))},
                                      {"link", scope.link_id}});
        return mark_refusal(status_of(result.outcome), code_of(result.outcome), result.problem, now);
    }
    if (result.outcome == store::MarkOutcome::stored) {
        log.info(undo ? "mark_undone" : "mark_recorded",
                 {{"link", scope.link_id},
                  {"participant_id", result.participant.value_or(0)},
                  {"kind", result.kind ? std::string(store::to_string(*result.kind)) : std::string("unknown")}});
        if (feed) feed->publish(result.change);  // after the commit: the streams and long polls hear it
    }
    return mark_reply(status_of(result.outcome), json::object{{"uuid", uuid}, {"change", result.change}}, now);
}

}  // namespace muster::server

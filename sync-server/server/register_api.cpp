#include "register_api.hpp"

#include "register_marks.hpp"
#include "register_snapshots.hpp"
#include "request_parts.hpp"

#include "web_assets.hpp"

#include "muster/db/database.hpp"
#include "muster/register/register_access.hpp"
#include "muster/register/register_view.hpp"
#include "muster/store/event_store.hpp"
#include "muster/store/participant_store.hpp"
#include "muster/store/register_link_store.hpp"
#include "muster/store/register_view_store.hpp"
#include "muster/store/schema.hpp"

#include <boost/json.hpp>

#include <atomic>
#include <charconv>
#include <mutex>
#include <optional>

namespace muster::server {

namespace json = boost::json;

std::vector<std::pair<std::string, std::string>> register_security_headers() {
    return {{"Content-Security-Policy",
             "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
             "frame-ancestors 'none'; base-uri 'none'; form-action 'self'"},
            {"X-Content-Type-Options", "nosniff"},
            {"Referrer-Policy", "no-referrer"},
            {"Cache-Control", "no-store"}};
}

// A few connections to the hub database, each used by one request at a time.
struct RegisterApi::Impl {
    struct Slot {
        std::mutex mutex;
        std::unique_ptr<db::Database> db;
    };
    Impl(std::string p, log::Logger& l, Clock c, ChangeFeed* f)
        : database(std::move(p)), log(l), clock(std::move(c)), feed(f) {}
    std::string database;  // a SQLite file or a postgresql:// URL
    log::Logger& log;
    Clock clock;
    ChangeFeed* feed;  // may be null
    std::vector<std::unique_ptr<Slot>> slots;
    std::atomic<std::size_t> next{0};
    // The streams' events, shared per scope, each scope's made at most five times a second.
    RegisterSnapshots snapshots{std::chrono::milliseconds(200)};

    // Runs `f` with a connection: a free one if there is, else it waits its turn on one.
    template <class F>
    auto with_db(F&& f) {
        for (auto& slot : slots) {
            std::unique_lock lock(slot->mutex, std::try_to_lock);
            if (lock) return f(connection(*slot));
        }
        auto& slot = *slots[next++ % slots.size()];
        std::lock_guard lock(slot.mutex);
        return f(connection(slot));
    }
    db::Database& connection(Slot& slot) {
        if (!slot.db) slot.db = std::make_unique<db::Database>(database, db::OpenMode::read_write);
        return *slot.db;
    }

    ApiResponse handle(const ApiRequest& r, TimeMs now);
    ApiResponse asset(const ApiRequest& r, std::string_view path_in, TimeMs now);
    ApiResponse post_session(const ApiRequest& r, TimeMs now);
    ApiResponse get_session(const ApiRequest& r, TimeMs now);
    ApiResponse state(const ApiRequest& r, TimeMs now);
    ApiResponse stream(const ApiRequest& r, TimeMs now);
    // The room a read asks for (?room=, else the link's own; nullopt: the whole event), or the
    // refusal (400, 404, 403) when the session may not read it.
    std::variant<std::optional<RoomId>, ApiResponse> room_asked(const ApiRequest& r, const register_access::Scope& scope,
                                                               TimeMs now, std::string_view path);
    // The request's session, or the refusal to send (with the cookie cleared).
    std::variant<std::pair<register_access::Scope, std::string>, ApiResponse> session_of(const ApiRequest& r, TimeMs now,
                                                                                           std::string_view path);
};

namespace {

ApiResponse reply(HttpStatus status, std::string body, TimeMs now) {
    ApiResponse a{status, std::move(body), now, "application/json; charset=utf-8", register_security_headers()};
    return a;
}

// {"error": message, "code": code}: the message is for the person holding the tablet.
ApiResponse refusal(HttpStatus status, std::string_view code, std::string_view message, TimeMs now) {
    return reply(status, json::serialize(json::object{{"error", message}, {"code", code}}), now);
}

std::string_view exchange_message(store::ExchangeRefusal r) {
    switch (r) {
        case store::ExchangeRefusal::unknown:
            return "This link is not one the hub knows (it may be mistyped or cut short). Ask hub staff for a new link.";
        case store::ExchangeRefusal::used_already:
            return "This link has been used already: it opens the register on one tablet only. Ask hub staff for a new "
                   "link.";
        case store::ExchangeRefusal::expired:
            return "This link has expired: it worked until the end of the event's day. Ask hub staff for a new link.";
        case store::ExchangeRefusal::revoked:
            return "Hub staff withdrew this link. Ask hub staff for a new link.";
    }
    return "Ask hub staff for a new link.";
}

std::string_view session_message(store::SessionRefusal r) {
    switch (r) {
        case store::SessionRefusal::unknown:
            return "This tablet has no register open. Open the link from the room's pack, or ask hub staff for a new "
                   "link.";
        case store::SessionRefusal::expired:
            return "This register has ended: it worked until the end of the event's day. Ask hub staff for a new link.";
        case store::SessionRefusal::revoked:
            return "Hub staff withdrew this tablet's register. Ask hub staff for a new link.";
    }
    return "Ask hub staff for a new link.";
}

json::value event_json(const Event& e) {
    return json::object{{"id", e.id}, {"title", e.title}, {"date", e.local_date}, {"venue", e.venue},
                        {"late_after_min", e.late_after_min}};
}

json::value room_json(db::Database& db, const std::optional<RoomId>& room) {
    if (!room) return nullptr;
    return json::object{{"id", *room}, {"name", store::room_name(db, *room).value_or("")}};
}

// A person as the facilitator sees them: never an email or a TRN (the view has neither).
json::object person_json(const register_view::Person& p) {
    json::object o{{"id", p.id}, {"first_name", p.first_name}, {"surname", p.surname}, {"role", to_string(p.role)}};
    o["school"] = p.school ? json::value(*p.school) : json::value(nullptr);
    return o;
}

// Marks from the tablets on a row (docs/register.md, "Marks from the tablet"): by_hand, and
// left_ms with left_mark, each null when there is none.
json::value link_json(const std::optional<std::int64_t>& link) { return link ? json::value(*link) : json::value(nullptr); }

void add_marks_json(json::object& o, const register_view::HandMarks& m) {
    if (m.by_hand)
        o["by_hand"] = json::object{{"uuid", m.by_hand->uuid},     {"author", m.by_hand->author},
                                    {"reason", m.by_hand->reason}, {"note", m.by_hand->note},
                                    {"at_ms", m.by_hand->at_ms},   {"undoable", m.by_hand->undoable},
                                    {"link", link_json(m.by_hand->link_id)}};
    else o["by_hand"] = nullptr;
    o["left_ms"] = m.left_ms ? json::value(*m.left_ms) : json::value(nullptr);
    if (m.left_mark)
        o["left_mark"] = json::object{
            {"uuid", m.left_mark->uuid}, {"author", m.left_mark->author}, {"undoable", m.left_mark->undoable},
            {"link", link_json(m.left_mark->link_id)}};
    else o["left_mark"] = nullptr;
}

// change: the hub's change clock read before the view (the view is of that change or newer).
std::string view_json(const register_view::View& v, TimeMs now, std::int64_t change) {
    json::object out;
    out["change"] = change;
    out["event"] = event_json(v.event);
    out["room"] = v.room ? json::value(json::object{{"id", v.room->id}, {"name", v.room->name}}) : json::value(nullptr);
    if (v.session)
        out["session"] = json::object{{"id", v.session->id}, {"name", v.session->name}, {"starts_ms", v.session->starts_ms},
                                      {"ends_ms", v.session->ends_ms}};
    else out["session"] = nullptr;
    json::array rooms;  // for a whole-event session's room picker
    for (const auto& r : v.event.rooms) rooms.push_back(json::object{{"id", r.id}, {"name", r.name}});
    out["rooms"] = std::move(rooms);
    out["server_time_ms"] = now;
    out["counted_at"] = register_view::to_string(v.counted_at);
    out["counts"] = json::object{{"in", v.counts.in},           {"expected", v.counts.expected},
                                 {"late", v.counts.late},       {"missing", v.counts.missing},
                                 {"visitors", v.counts.visitors}};
    json::array here, missing, visitors;
    for (const auto& h : v.here) {
        auto o = person_json(h.person);
        o["arrived_ms"] = h.arrived_ms;
        o["minutes_late"] = h.minutes_late ? json::value(*h.minutes_late) : json::value(nullptr);
        add_marks_json(o, h.marks);
        here.push_back(std::move(o));
    }
    for (const auto& p : v.missing) missing.push_back(person_json(p));
    for (const auto& x : v.visitors) {
        auto o = person_json(x.person);
        o["arrived_ms"] = x.arrived_ms;
        o["reason"] = register_view::to_string(x.reason);
        o["expected_room"] = x.expected_room_name ? json::value(*x.expected_room_name) : json::value(nullptr);
        add_marks_json(o, x.marks);
        visitors.push_back(std::move(o));
    }
    out["here"] = std::move(here);
    out["expected"] = std::move(missing);
    out["visitors"] = std::move(visitors);
    return json::serialize(out);
}

}  // namespace

RegisterApi::RegisterApi(const std::string& database, log::Logger& log, Clock clock, int connections,
                         ChangeFeed* feed)
    : impl_(std::make_unique<Impl>(database, log, std::move(clock), feed)) {
    for (int i = 0; i < std::max(connections, 1); ++i) impl_->slots.push_back(std::make_unique<Impl::Slot>());
}

RegisterApi::~RegisterApi() = default;

bool RegisterApi::serves(std::string_view target) {
    auto path = path_of(target);
    return path == "/register" || path.rfind("/register/", 0) == 0;
}

ApiResponse RegisterApi::handle(const ApiRequest& request) {
    const TimeMs now = impl_->clock();
    try {
        return impl_->handle(request, now);
    } catch (const db::Error& e) {
        impl_->log.log(log::Level::error, "store_error",
                       {{"path", std::string(path_of(request.target))}, {"sqlite_code", e.extended_code()}});
        return refusal(HttpStatus::service_unavailable, "store_busy", "The hub could not answer just now; it will retry.",
                       now);
    }
}

ApiResponse RegisterApi::Impl::handle(const ApiRequest& r, TimeMs now) {
    auto path = path_of(r.target);
    if (path == "/register") {
        // The link's fragment (#code=…) survives a redirect: the browser keeps it.
        auto res = reply(HttpStatus::permanent_redirect, "", now);
        res.content_type = "text/plain; charset=utf-8";
        res.headers.emplace_back("Location", "/register/");
        return res;
    }
    if (r.body.size() > body_limit_bytes)
        return refusal(HttpStatus::payload_too_large, "too_large",
                       "The request is larger than " + std::to_string(body_limit_bytes) + " bytes.", now);
    if (path == "/register/session") {
        if (r.method == "POST") return post_session(r, now);
        if (r.method == "GET") return get_session(r, now);
        return refusal(HttpStatus::method_not_allowed, "method_not_allowed", "Use GET or POST.", now);
    }
    if (path.rfind("/register/api/", 0) == 0) {
        if (r.method != "GET") {
            // Every POST of a session carries its CSRF token (docs/register.md), checked before
            // anything else is done with it.
            auto session = session_of(r, now, path);
            if (auto* refused = std::get_if<ApiResponse>(&session)) return *refused;
            const auto& cookie = std::get<0>(session).second;
            if (!register_access::csrf_matches(cookie, header(r, "x-csrf-token"))) {
                log.warn("register_refused", {{"path", std::string(path)}, {"reason", "csrf"}});
                return refusal(HttpStatus::forbidden, "csrf",
                               "This request did not carry the register's token. Reload the page.", now);
            }
            if (path == "/register/api/marks" || path == "/register/api/marks/undo") {
                if (r.method != "POST")
                    return refusal(HttpStatus::method_not_allowed, "method_not_allowed", "Use POST.", now);
                if (!is_json_content_type(header(r, "content-type")))
                    return refusal(HttpStatus::unsupported_media_type, "bad_request", "Send the mark as application/json.",
                                   now);
                if (!same_origin(r)) {
                    log.warn("register_refused", {{"path", std::string(path)}, {"reason", "cross_origin"}});
                    return refusal(HttpStatus::forbidden, "cross_origin", "Marks are made only from the register's page.",
                                   now);
                }
                WithDatabase run = [this](const std::function<void(db::Database&)>& f) { with_db(f); };
                return post_register_mark(r, std::get<0>(session).first, path == "/register/api/marks/undo", now, run,
                                          log, feed);
            }
            return refusal(HttpStatus::method_not_allowed, "method_not_allowed", "Use GET.", now);
        }
        if (path == "/register/api/state") return state(r, now);
        if (path == "/register/api/stream") return stream(r, now);
        return refusal(HttpStatus::not_found, "not_found", "No such part of the register.", now);
    }
    return asset(r, path, now);
}

ApiResponse RegisterApi::Impl::asset(const ApiRequest& r, std::string_view path_in, TimeMs now) {
    std::string_view path = path_in == "/register/" ? std::string_view("/register/index.html") : path_in;
    for (const auto& a : generated::web_assets) {
        if (a.path != path) continue;
        if (r.method != "GET")
            return refusal(HttpStatus::method_not_allowed, "method_not_allowed", "Use GET.", now);
        auto res = reply(HttpStatus::ok, std::string(a.body), now);
        res.content_type = std::string(a.content_type);
        return res;
    }
    return refusal(HttpStatus::not_found, "not_found", "No such page.", now);
}

std::variant<std::pair<register_access::Scope, std::string>, ApiResponse> RegisterApi::Impl::session_of(
    const ApiRequest& r, TimeMs now, std::string_view path) {
    const std::string cookie_header = header(r, "cookie");  // kept: the value found is a view into it
    auto cookie = register_access::cookie_value_in(cookie_header);
    auto refuse = [&](store::SessionRefusal why) {
        log.warn("register_refused", {{"path", std::string(path)}, {"reason", store::to_string(why)}});
        auto res = refusal(why == store::SessionRefusal::revoked ? HttpStatus::forbidden : HttpStatus::unauthorized,
                           store::to_string(why), session_message(why), now);
        // A refused stream keeps the cookie: EventSource cannot read this reply, so the page asks
        // GET /register/session why, and that answer (which clears it) must still see it to
        // say "withdrawn" or "ended" rather than "no register open".
        if (path != "/register/api/stream")
            res.headers.emplace_back("Set-Cookie", register_access::clear_cookie_header());
        return res;
    };
    if (!cookie) return refuse(store::SessionRefusal::unknown);
    std::string value(*cookie);
    auto check = with_db([&](db::Database& db) { return store::check_session(db, value, now); });
    if (!check.scope) return refuse(check.refusal);
    return std::pair{*check.scope, value};
}

ApiResponse RegisterApi::Impl::post_session(const ApiRequest& r, TimeMs now) {
    if (!is_json_content_type(header(r, "content-type")))
        return refusal(HttpStatus::unsupported_media_type, "bad_request", "Send the code as application/json.", now);
    if (!same_origin(r)) {
        log.warn("register_refused", {{"path", "/register/session"}, {"reason", "cross_origin"}});
        return refusal(HttpStatus::forbidden, "cross_origin", "The register opens only from its own page.", now);
    }
    boost::system::error_code ec;
    auto body = json::parse(r.body, ec);
    const json::string* code = nullptr;
    if (!ec && body.is_object())
        if (auto* c = body.as_object().if_contains("code"); c && c->is_string()) code = &c->as_string();
    if (!code)
        return refusal(HttpStatus::bad_request, "bad_request", R"(The body must be JSON: {"code": "…"}.)", now);
    auto result = with_db([&](db::Database& db) {
        auto ex = store::exchange(db, std::string_view(code->data(), code->size()), now);
        std::optional<json::object> out;
        if (ex.session) {
            auto event = store::load_event(db, ex.session->scope.event_id);
            out = json::object{{"csrf_token", ex.session->csrf_token},
                               {"link_id", ex.session->scope.link_id},
                               {"event", event ? event_json(*event) : json::value(nullptr)},
                               {"room", room_json(db, ex.session->scope.room_id)},
                               {"expires_ms", ex.session->scope.expires_ms}};
        }
        return std::pair{std::move(ex), std::move(out)};
    });
    auto& [ex, out] = result;
    if (!ex.session) {
        // The code itself is never logged: only that an exchange was refused, and why.
        log.warn("register_exchange_refused", {{"reason", store::to_string(ex.refusal)}});
        auto status = ex.refusal == store::ExchangeRefusal::unknown ? HttpStatus::unauthorized : HttpStatus::forbidden;
        return refusal(status, store::to_string(ex.refusal), exchange_message(ex.refusal), now);
    }
    log.info("register_session_opened",
             {{"link", ex.session->scope.link_id}, {"event_id", ex.session->scope.event_id},
              {"room", ex.session->scope.room_id.value_or(0)}});  // 0: the whole event
    auto res = reply(HttpStatus::ok, json::serialize(*out), now);
    res.headers.emplace_back("Set-Cookie", register_access::set_cookie_header(ex.session->cookie_value, now,
                                                                              ex.session->scope.expires_ms));
    return res;
}

ApiResponse RegisterApi::Impl::get_session(const ApiRequest& r, TimeMs now) {
    auto session = session_of(r, now, "/register/session");
    if (auto* refused = std::get_if<ApiResponse>(&session)) return *refused;
    // Named references, not a structured binding: clang 15 cannot capture those in a lambda.
    const auto& scope = std::get<0>(session).first;
    const auto& cookie = std::get<0>(session).second;
    auto body = with_db([&](db::Database& db) {
        auto event = store::load_event(db, scope.event_id);
        return json::serialize(json::object{{"csrf_token", register_access::csrf_token_for(cookie)},
                                            {"link_id", scope.link_id},
                                            {"event", event ? event_json(*event) : json::value(nullptr)},
                                            {"room", room_json(db, scope.room_id)},
                                            {"expires_ms", scope.expires_ms}});
    });
    return reply(HttpStatus::ok, std::move(body), now);
}

std::variant<std::optional<RoomId>, ApiResponse> RegisterApi::Impl::room_asked(const ApiRequest& r,
                                                                                 const register_access::Scope& scope,
                                                                                 TimeMs now, std::string_view path) {
    std::optional<RoomId> room = scope.room_id;
    auto asked = query_value(r.target, "room");
    if (!asked) return room;
    auto id = parse_int(*asked);
    if (!id || *id <= 0) return refusal(HttpStatus::bad_request, "bad_request", "room must be a room's number.", now);
    auto event = with_db([&](db::Database& db) { return store::event_of_room(db, *id); });
    if (!event) return refusal(HttpStatus::not_found, "not_found", "There is no such room.", now);
    if (!register_access::may_read(scope, *event, RoomId{*id})) {
        log.warn("register_refused", {{"path", std::string(path)}, {"reason", "room"}, {"link", scope.link_id}});
        return refusal(HttpStatus::forbidden, "forbidden", "This tablet's link is for another room.", now);
    }
    return std::optional<RoomId>(*id);
}

ApiResponse RegisterApi::Impl::state(const ApiRequest& r, TimeMs now) {
    auto session = session_of(r, now, "/register/api/state");
    if (auto* refused = std::get_if<ApiResponse>(&session)) return *refused;
    const auto& scope = std::get<0>(session).first;
    auto asked = room_asked(r, scope, now, "/register/api/state");
    if (auto* refused = std::get_if<ApiResponse>(&asked)) return *refused;
    auto room = std::get<0>(asked);
    return with_db([&](db::Database& db) {
        auto change = store::current_change(db);
        auto view = store::load_register_view(db, scope.event_id, room, now, scope.link_id);
        if (!view) return refusal(HttpStatus::not_found, "not_found", "The event is no longer on the hub.", now);
        return reply(HttpStatus::ok, view_json(*view, now, change), now);
    });
}

namespace {

// One tablet's stream (docs/register.md, "Live updates"): its session is checked before every
// event and keep-alive, and its events come from the shared snapshots of its scope.
class RegisterStream final : public EventStreamSource {
public:
    RegisterStream(RegisterApi::Impl& api, std::string cookie, RegisterSnapshots::Scope scope,
                   std::optional<std::int64_t> last_event_id)
        : api_(api), cookie_(std::move(cookie)), scope_(std::move(scope)), last_event_id_(last_event_id) {}

    // The browser waits this long before reconnecting a dropped stream.
    std::string opening() const override { return "retry: 1000\n\n"; }
    std::optional<std::int64_t> resume_from() const override { return last_event_id_; }

    // Read from the database before every event and keep-alive: a revoke ticks the change
    // clock, so the stream wakes and ends within its pacing (250 ms). It costs one indexed read
    // an event per tablet (events are paced: at most four a second each), less than the
    // snapshot it guards, which is shared.
    bool allowed() override {
        auto now = api_.clock();
        auto check = api_.with_db([&](db::Database& db) { return store::check_session(db, cookie_, now); });
        if (!check.scope) {
            api_.log.info("register_stream_ended", {{"reason", store::to_string(check.refusal)}});
            return false;
        }
        return true;
    }

    std::optional<StreamEvent> event(std::int64_t change) override {
        return api_.snapshots.at_least(scope_, change, [this]() -> std::optional<StreamEvent> {
            auto now = api_.clock();
            return api_.with_db([&](db::Database& db) -> std::optional<StreamEvent> {
                auto made_at = store::current_change(db);
                auto view = store::load_register_view(db, scope_.first, scope_.second, now);
                if (!view) return std::nullopt;
                return StreamEvent{made_at, std::make_shared<const std::string>(
                                                sse_event(made_at, "state", view_json(*view, now, made_at)))};
            });
        });
    }

private:
    RegisterApi::Impl& api_;
    std::string cookie_;
    RegisterSnapshots::Scope scope_;
    std::optional<std::int64_t> last_event_id_;
};

}  // namespace

ApiResponse RegisterApi::Impl::stream(const ApiRequest& r, TimeMs now) {
    const std::string_view path = "/register/api/stream";
    auto session = session_of(r, now, path);
    if (auto* refused = std::get_if<ApiResponse>(&session)) return *refused;
    const auto& [scope, cookie] = std::get<0>(session);
    auto asked = room_asked(r, scope, now, path);
    if (auto* refused = std::get_if<ApiResponse>(&asked)) return *refused;
    if (!feed)
        return refusal(HttpStatus::service_unavailable, "unavailable", "Live updates are not available on this hub.", now);
    // Last-Event-ID: the id of the last event the browser got, sent back when it reconnects.
    // Anything but a number is as if absent (a snapshot at once).
    std::optional<std::int64_t> last_event_id;
    if (auto sent = header(r, "last-event-id"); !sent.empty()) last_event_id = parse_int(sent);
    auto res = reply(HttpStatus::ok, "", now);
    res.content_type = "text/event-stream";
    res.stream = std::make_shared<RegisterStream>(*this, cookie, RegisterSnapshots::Scope{scope.event_id, std::get<0>(asked)},
                                                  last_event_id);
    return res;
}

}  // namespace muster::server

// The reconciliation pages' JSON (staff_events_json.hpp). Names are full names: the staff
// pages are behind a login, not public screens. Nothing here is logged.
#include "staff_events_json.hpp"

#include "muster/time/uk_time.hpp"

#include <boost/json.hpp>

#include <cstdio>

namespace muster::server {

namespace json = boost::json;

namespace {

// A JSON writer into one string: commas placed by state, strings escaped (quote, backslash
// and control characters; UTF-8 passes through as it is stored).
class Out {
public:
    explicit Out(std::size_t reserve) { s_.reserve(reserve); }
    std::string take() { return std::move(s_); }

    Out& obj() { return open('{'); }
    Out& end_obj() { return close('}'); }
    Out& arr() { return open('['); }
    Out& end_arr() { return close(']'); }
    Out& key(std::string_view k) {
        comma();
        quoted(k);
        s_ += ':';
        comma_ = false;
        return *this;
    }
    Out& str(std::string_view v) {
        comma();
        quoted(v);
        comma_ = true;
        return *this;
    }
    Out& num(std::int64_t v) {
        comma();
        char buf[24];
        int n = std::snprintf(buf, sizeof buf, "%lld", static_cast<long long>(v));
        s_.append(buf, static_cast<std::size_t>(n));
        comma_ = true;
        return *this;
    }
    Out& boolean(bool v) { return raw(v ? "true" : "false"); }
    Out& null() { return raw("null"); }

    // key: value shorthands; optionals write null when empty.
    Out& f(std::string_view k, std::string_view v) { return key(k).str(v); }
    Out& f(std::string_view k, const std::string& v) { return key(k).str(v); }
    Out& f(std::string_view k, const char* v) { return key(k).str(v); }
    Out& f(std::string_view k, std::int64_t v) { return key(k).num(v); }
    Out& f(std::string_view k, int v) { return key(k).num(v); }
    Out& f(std::string_view k, bool v) { return key(k).boolean(v); }
    template <class T>
    Out& f(std::string_view k, const std::optional<T>& v) {
        key(k);
        if (!v) return null();
        if constexpr (std::is_same_v<T, std::string>) return str(*v);
        else return num(static_cast<std::int64_t>(*v));
    }
    // A time as the pages show it: "<name>_ms" and "<name>_local" (hub local clock).
    Out& time(std::string_view name, std::optional<TimeMs> at, bool with_date) {
        key(std::string(name) + "_ms");
        if (at) num(*at);
        else null();
        key(std::string(name) + "_local");
        if (!at) return null();
        return str(with_date ? uk_time::format_local(*at) : uk_time::format_hhmm(*at));
    }

private:
    Out& open(char c) {
        comma();
        s_ += c;
        comma_ = false;
        return *this;
    }
    Out& close(char c) {
        s_ += c;
        comma_ = true;
        return *this;
    }
    Out& raw(const char* v) {
        comma();
        s_ += v;
        comma_ = true;
        return *this;
    }
    void comma() {
        if (comma_) s_ += ',';
    }
    void quoted(std::string_view v) {
        s_ += '"';
        for (char ch : v) {
            auto c = static_cast<unsigned char>(ch);
            if (c == '"') s_ += "\\\"";
            else if (c == '\\') s_ += "\\\\";
            else if (c < 0x20) {
                char buf[8];
                std::snprintf(buf, sizeof buf, "\\u%04x", c);
                s_ += buf;
            } else s_ += ch;
        }
        s_ += '"';
    }

    std::string s_;
    bool comma_ = false;
};

void author(Out& o, const store::CorrectionAuthor& a) {
    o.obj().f("staff_id", a.staff_id).f("name", a.name).end_obj();
}

void sign_off(Out& o, const std::optional<store::SignOff>& s) {
    if (!s) {
        o.null();
        return;
    }
    o.obj().time("at", s->at_ms, true).key("by");
    author(o, s->by);
    o.f("note", s->note).end_obj();
}

void scan(Out& o, const store::ScanFact& s) {
    o.obj()
        .f("uuid", s.uuid)
        .f("direction", to_string(s.direction))
        .f("outcome", to_string(s.outcome))
        .f("method", to_string(s.method))
        .f("session_id", s.session_id)
        .f("room_id", s.room_id)
        .f("device", s.device_name)
        .f("voided", s.voided)
        .time("at", s.at_ms, true)
        .end_obj();
}

void correction(Out& o, const store::CorrectionFact& c) {
    o.obj().f("uuid", c.uuid).f("kind", c.kind == CorrectionKind::mark ? "mark" : "void");
    o.key("status");
    if (c.status) o.str(to_string(*c.status));
    else o.null();
    o.key("status_label");
    if (c.status) o.str(label(*c.status));
    else o.null();
    o.f("target_uuid", c.target_uuid)
        .f("reason", c.reason)
        .f("note", c.note)
        .f("author", c.author)
        .f("source", store::to_string(c.source))
        .f("amendment", c.amendment_reason.has_value())
        .f("amendment_reason", c.amendment_reason)
        .f("linked_event_id", c.linked_event_id)
        .f("caught_up_on", c.caught_up_on)
        .f("evidence", c.evidence)
        .f("voided", c.voided)
        .time("at", c.at_ms, true)
        .end_obj();
}

template <class T, class F>
void list(Out& o, std::string_view k, const std::vector<T>& items, F&& each) {
    o.key(k).arr();
    for (const auto& i : items) each(o, i);
    o.end_arr();
}

// The table's row: only what the table and its filters read (the history is counted, and
// fetched when opened: history_json). Times as the hub's local text only: at ~1,000 rows a
// field a row is ~20 KB of reply.
void row(Out& o, const store::ReconcileRow& r) {
    const auto& s = r.summary;
    o.obj()
        .f("participant_id", r.participant_id)
        .f("name", r.full_name)
        .f("school", r.school_name)
        .f("urn", r.school_urn)
        .f("role_label", label(r.role))
        .f("room", r.room_name);
    list(o, "parts", r.parts, [](Out& out, const store::PartCell& p) {
        out.obj().f("session_id", p.session_id).f("minutes_late", p.minutes_late).key("in_local");
        if (p.in_ms) out.str(uk_time::format_hhmm(*p.in_ms));
        else out.null();
        out.end_obj();
    });
    o.f("status", to_string(s.status))
        .f("status_label", label(s.status))
        .f("marked_by_staff", s.marked_by_staff)
        .f("mark_reason", s.mark_reason)
        .f("mark_author", s.mark_author)
        .f("minutes_late", r.minutes_late)
        .f("left_early", r.left_early)
        .f("unsettled", r.unsettled)
        .f("alternate_event_id", r.alternate_event_id)
        .f("scan_count", r.scan_count)
        .f("correction_count", r.correction_count)
        .f("amended", r.amended)
        .key("checked_out_local");
    if (r.checked_out_ms) o.str(uk_time::format_hhmm(*r.checked_out_ms));
    else o.null();
    o.end_obj();
}

void unexpected(Out& o, const store::UnexpectedRow& u) {
    o.obj()
        .f("participant_id", u.participant_id)
        .f("name", u.full_name)
        .f("school", u.school_name)
        .f("urn", u.school_urn)
        .f("role", to_string(u.role))
        .f("role_label", label(u.role))
        .f("scan_count", u.scan_count)
        .time("first_in", u.first_in_ms, false);
    list(o, "candidates", u.candidates, [](Out& out, const store::LinkCandidate& c) {
        out.obj()
            .f("event_id", c.event_id)
            .f("title", c.title)
            .f("date", c.local_date)
            .f("same_item", c.same_item)
            .f("signed_off", c.signed_off)
            .end_obj();
    });
    o.f("linked_to", u.linked_to).end_obj();
}

// The fields that name an event, the same in the event list and on the event's page.
Out& event_heading(Out& o, EventId id, const std::string& title, const std::string& venue, const std::string& date,
                   const std::string& programme, const std::string& item, EventKind kind) {
    return o.f("id", id)
        .f("title", title)
        .f("venue", venue)
        .f("date", date)
        .f("programme", programme)
        .f("item", item)
        .f("kind", to_string(kind));
}

void event(Out& o, const Event& e) {
    event_heading(o.obj(), e.id, e.title, e.venue, e.local_date, e.programme, e.item, e.kind)
        .f("late_after_min", e.late_after_min);
    list(o, "sessions", e.sessions, [](Out& out, const Session& s) {
        out.obj().f("id", s.id).f("name", s.name).time("starts", s.starts_ms, false).time("ends", s.ends_ms, false).end_obj();
    });
    list(o, "rooms", e.rooms, [](Out& out, const Room& r) { out.obj().f("id", r.id).f("name", r.name).end_obj(); });
    o.end_obj();
}

}  // namespace

json::object sign_off_json(const store::SignOff& s) {
    Out o(256);
    sign_off(o, s);
    return json::parse(o.take()).as_object();
}

std::string overview_json(std::span<const store::EventOverview> events, TimeMs now) {
    Out o(256 + events.size() * 400);
    o.obj().key("events").arr();
    for (const auto& e : events) {
        event_heading(o.obj(), e.event_id, e.title, e.venue, e.local_date, e.programme, e.item, e.kind)
            .f("held", e.held)
            .f("cancelled", e.cancelled)
            .key("signed_off");
        sign_off(o, e.signed_off);
        o.f("expected", e.expected).f("unsettled", e.unsettled).f("unexpected", e.unexpected).end_obj();
    }
    o.end_arr().f("server_time_ms", now).end_obj();
    return o.take();
}

std::string reconciliation_json(const store::EventReconciliation& rec, TimeMs now) {
    // About 0.6 KB a row without its history: one allocation for the usual event.
    Out o(4096 + (rec.rows.size() + rec.unexpected.size()) * 700);
    o.obj().key("event");
    event(o, rec.event);
    o.f("held", rec.held).key("signed_off");
    sign_off(o, rec.signed_off);
    o.key("counts").arr();
    for (const auto& c : rec.counts)
        o.obj().f("status", to_string(c.status)).f("label", label(c.status)).f("count", c.count).end_obj();
    o.end_arr().f("unsettled", rec.unsettled).f("change", rec.change);
    list(o, "rows", rec.rows, row);
    list(o, "unexpected", rec.unexpected, unexpected);
    o.f("server_time_ms", now).end_obj();
    return o.take();
}

std::string history_json(EventId event_id, ParticipantId participant, const store::ParticipantHistory& h, TimeMs now) {
    Out o(2048 + (h.scans.size() + h.corrections.size()) * 400);
    o.obj().f("event_id", event_id).f("participant_id", participant).f("expected", h.row.has_value()).key("row");
    if (h.row) row(o, *h.row);
    else o.null();
    o.key("unexpected");
    if (h.unexpected) unexpected(o, *h.unexpected);
    else o.null();
    o.key("signed_off");
    sign_off(o, h.signed_off);
    list(o, "scans", h.scans, scan);
    list(o, "corrections", h.corrections, correction);
    o.f("change", h.change).f("server_time_ms", now).end_obj();
    return o.take();
}

std::string audit_json(EventId event_id, std::span<const store::AuditEntry> entries) {
    Out o(256 + entries.size() * 400);
    o.obj().f("event_id", event_id).key("entries").arr();
    for (const auto& e : entries) {
        o.obj()
            .f("kind", e.kind)
            .f("author", e.author)
            .f("source", store::to_string(e.source))
            .f("participant_id", e.participant_id)
            .f("participant", e.participant_name)
            .f("what", e.what)
            .f("reason", e.reason)
            .f("amendment", e.amendment_reason.has_value())
            .f("amendment_reason", e.amendment_reason)
            .f("uuid", e.uuid)
            .time("at", e.at_ms, true)
            .end_obj();
    }
    o.end_arr().end_obj();
    return o.take();
}

}  // namespace muster::server

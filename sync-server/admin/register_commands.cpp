// `muster register link|list|revoke`: links to the facilitators' live register
// (docs/register.md). The link's code is printed once, for the staff member at the hub's
// terminal, and written into the QR file; only its hash is kept, and nothing is logged.
#include "command.hpp"
#include "register_qr.hpp"

#include "muster/store/event_store.hpp"
#include "muster/store/register_link_store.hpp"
#include "muster/time/uk_time.hpp"
#include "muster/util/private_files.hpp"

#include <ostream>

namespace muster::admin {
namespace {

std::string register_url(std::string public_url, const std::string& code) {
    while (!public_url.empty() && public_url.back() == '/') public_url.pop_back();
    // The code is in the fragment: a browser never sends it to the server, so it reaches no
    // request line and no log; the page reads it and posts it once.
    return public_url + "/register/#code=" + code;
}

std::string room_words(db::Database& db, std::optional<RoomId> room) {
    if (!room) return "whole event";
    return "room " + std::to_string(*room) + " \"" + store::room_name(db, *room).value_or("?") + "\"";
}

// "24:00 on 2026-10-14": the expiry is always the end of the event's UK day.
std::string expiry_words(TimeMs expires_ms) { return "24:00 UK time on " + uk_time::format_date(expires_ms - 1); }

int link(const Args& a, Context& ctx) {
    store::NewRegisterLink spec;
    spec.event_id = a.require_int("event");
    spec.room_id = a.get_int("room");
    spec.label = a.get_text("label", limits::label_chars);
    auto qr_path = a.get("qr");
    std::optional<QrFileFormat> qr_format;
    if (qr_path) {
        qr_format = qr_file_format(*qr_path);
        if (!qr_format) throw UsageError("--qr: the file must end in .svg or .png");
    }
    std::string public_url = ctx.hub.default_server_url();
    if (public_url.empty())
        throw UsageError("the hub has no server.public_url in " + ctx.hub.server_config_path().string() +
                         " (the address tablets reach the sync server at); set it, then try again");

    auto db = ctx.hub.open();
    TimeMs now = uk_time::now_ms();
    auto made = store::create_link(*db, spec, now);
    if (!made.link) {
        std::string id = std::to_string(spec.event_id);
        switch (made.refusal) {
            case store::LinkRefusal::no_such_event: throw UsageError("no event " + id + " (see: muster event list)");
            case store::LinkRefusal::room_not_in_event:
                throw UsageError("room " + std::to_string(spec.room_id.value_or(0)) + " is not a room of event " + id +
                                 " (see: muster event list)");
            case store::LinkRefusal::event_cancelled:
                ctx.err << "muster register link: event " << id << " is cancelled: no register for it\n";
                return 1;
            case store::LinkRefusal::event_over:
                ctx.err << "muster register link: event " << id << "'s day is over (its links end at 24:00 UK time on "
                        << store::load_event(*db, spec.event_id)->local_date << ")\n";
                return 1;
        }
    }
    std::string url = register_url(public_url, made.link->code);
    auto event = store::load_event(*db, spec.event_id);
    std::string where = room_words(*db, spec.room_id);
    if (qr_path) {
        std::string caption = "Live register: " + (spec.room_id ? store::room_name(*db, *spec.room_id).value_or("") : "whole event") +
                              ", until " + expiry_words(made.link->expires_ms);
        try {
            replace_private_file(*qr_path, qr_file_bytes(url, *qr_format, caption));
        } catch (const std::exception& e) {
            // A link nobody can have seen is withdrawn rather than left working unprinted.
            store::revoke_link(*db, made.link->id, uk_time::now_ms());
            ctx.err << "muster register link: could not write " << *qr_path << ": " << e.what() << " (link "
                    << made.link->id << " withdrawn; make a new one)\n";
            return 1;
        }
    }
    ctx.out << "Register link " << made.link->id << " for event " << spec.event_id << " (" << event->title << ", "
            << event->local_date << "), " << where << ":\n\n  " << url << "\n\n"
            << "It works once: the first browser to open it keeps the register until " << expiry_words(made.link->expires_ms)
            << ".\nAnother tablet needs a new link. Withdraw it with: muster register revoke --id " << made.link->id << "\n";
    if (qr_path) ctx.out << "QR code written to " << *qr_path << "\n";
    return 0;
}

std::string status_words(const store::LinkListing& l, TimeMs now) {
    auto when = [now](TimeMs t) {
        return uk_time::format_date(t) == uk_time::format_date(now) ? uk_time::format_hhmm(t) : uk_time::format_local(t);
    };
    switch (l.status) {
        case store::LinkStatus::unused: return "unused";
        case store::LinkStatus::in_use:
            return "used at " + when(*l.used_ms) + (l.last_seen_ms ? ", last seen " + when(*l.last_seen_ms) : "");
        case store::LinkStatus::expired: return "expired";
        case store::LinkStatus::revoked: return "revoked at " + when(*l.revoked_ms);
    }
    return "?";
}

int list(const Args& a, Context& ctx) {
    auto event = a.get_int("event");
    auto db = ctx.hub.open();
    if (event && !store::load_event(*db, *event)) throw UsageError("no event " + std::to_string(*event) + " (see: muster event list)");
    TimeMs now = uk_time::now_ms();
    auto links = store::list_links(*db, event, now);
    if (links.empty()) {
        ctx.err << "muster register list: no register links" << (event ? " for event " + std::to_string(*event) : "")
                << " (make one: muster register link --event ID [--room ID])\n";
        return 1;
    }
    for (const auto& l : links) {
        ctx.out << l.id << "  event " << l.event_id << "  " << room_words(*db, l.room_id);
        if (l.label) ctx.out << "  \"" << *l.label << "\"";
        ctx.out << "  created " << uk_time::format_local(l.created_ms) << "  " << status_words(l, now) << "\n";
    }
    return 0;
}

int revoke(const Args& a, Context& ctx) {
    auto id = a.require_int("id");
    auto db = ctx.hub.open();
    switch (store::revoke_link(*db, id, uk_time::now_ms())) {
        case store::LinkRevocation::no_such_link:
            throw UsageError("no register link " + std::to_string(id) + " (see: muster register list)");
        case store::LinkRevocation::already_revoked:
            ctx.err << "muster register revoke: link " << id << " was already revoked; nothing to do\n";
            return 1;
        case store::LinkRevocation::revoked: break;
    }
    ctx.out << "Register link " << id << " revoked: its code and the tablet holding it are refused from now on\n";
    return 0;
}

}  // namespace

std::vector<Command> register_commands() {
    return {{"register link", "Make a one-time link (and QR code) to the live register of an event or one room",
             "--event ID [--room ID] [--label TEXT] [--qr FILE.svg|FILE.png]", {"event", "room", "label", "qr"}, {}, link},
            {"register list", "List register links: unused, used, expired or revoked", "[--event ID]", {"event"}, {}, list},
            {"register revoke", "Withdraw a register link: its code and its tablet's session stop working", "--id ID",
             {"id"}, {}, revoke}};
}

}  // namespace muster::admin

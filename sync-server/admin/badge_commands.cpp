#include "command.hpp"

#include "badge_files.hpp"

#include "muster/badge/badge_sheet.hpp"
#include "muster/badge/badge_token.hpp"
#include "muster/store/badge_store.hpp"
#include "muster/store/event_admin_store.hpp"
#include "muster/store/event_store.hpp"
#include "muster/store/participant_store.hpp"
#include "muster/time/uk_time.hpp"
#include "muster/util/private_files.hpp"

#include <ostream>
#include <stdexcept>

namespace muster::admin {
namespace {

Participant require_participant(db::Database& db, long long id) {
    auto p = store::find_participant(db, id);
    if (!p) throw UsageError("no participant " + std::to_string(id));
    return *p;
}

// "12 (Siân O'Brien)": the staff member sees who, to be sure it is the right person.
std::string who(const Participant& p) { return std::to_string(p.id) + " (" + p.full_name() + ")"; }

// The people a sheet or a set of cards is for (--participant, --event, or everyone), and the
// signed token of each one's current badge. Nothing to print is a failure with the reason,
// before any file is written.
BadgesToPrint badges_to_print(db::Database& db, const badge::HubKeyPair& key, const Args& a) {
    std::vector<Participant> people;
    std::string scope;
    if (auto id = a.get_int("participant")) {
        people.push_back(require_participant(db, *id));
        scope = "participant " + std::to_string(*id);
    } else if (auto ev = a.get_int("event")) {
        if (!store::load_event(db, *ev)) throw UsageError("no event " + std::to_string(*ev) + ": see muster event list");
        for (const auto& e : store::enrolments(db, *ev))
            if (auto p = store::find_participant(db, e.participant_id)) people.push_back(*p);
        scope = "event " + std::to_string(*ev);
    } else {
        // Everyone still on the programme: a withdrawn person is printed only by --participant.
        for (auto& p : store::all_participants(db))
            if (!store::participant_withdrawn(db, p.id)) people.push_back(std::move(p));
    }
    BadgesToPrint out;
    for (auto& p : people) {
        auto b = store::current_badge(db, p.id);
        if (!b) {
            ++out.without;
            continue;
        }
        std::string token = badge::sign_badge(key, {p.id, static_cast<std::uint16_t>(b->serial)});
        store::record_token_digest(db, p.id, b->serial, badge::token_digest(token));  // badges issued before digests
        out.ready.push_back({std::move(p), std::move(token)});
    }
    if (out.ready.empty()) {
        std::string why;
        if (people.empty()) why = scope.empty() ? "the roster is empty: muster roster import FILE" : "nobody is expected at " + scope;
        else if (a.get_int("participant")) why = scope + " has no badge: muster badges issue --" + scope;
        else why = "none of the " + std::to_string(people.size()) + " participant(s) has a badge: muster badges issue --all";
        throw std::runtime_error("0 badges: nothing written (" + why + ")");
    }
    return out;
}

std::string serials(const std::vector<store::BadgeRecord>& badges) {
    std::string out;
    for (const auto& b : badges) {
        if (!out.empty()) out += ", ";
        out += std::to_string(b.serial) + (b.revoked_ms ? " revoked " + uk_time::format_date(*b.revoked_ms) : " current");
    }
    return out;
}

// Which serial `badges revoke` takes. Without --serial it only guesses when there is nothing
// to guess: one badge, not revoked. Someone whose badge was revoked before (and perhaps
// reissued) may be reported lost twice by two people; revoking "the current one" again would
// silently cancel the replacement they are wearing, so the serial is named and asked for.
std::int64_t choose_serial_to_revoke(ParticipantId id, const std::vector<store::BadgeRecord>& badges,
                                     std::optional<long long> asked) {
    const std::string who_ = "participant " + std::to_string(id);
    if (badges.empty()) throw UsageError(who_ + " has no badge to revoke");
    if (asked) {
        for (const auto& b : badges) {
            if (b.serial != *asked) continue;
            if (b.revoked_ms)
                throw UsageError("badge " + std::to_string(b.serial) + " of " + who_ + " was already revoked on " +
                                 uk_time::format_date(*b.revoked_ms) + " (their badges: " + serials(badges) + ")");
            return b.serial;
        }
        throw UsageError(who_ + " has no badge " + std::to_string(*asked) + " (their badges: " + serials(badges) + ")");
    }
    const store::BadgeRecord* current = nullptr;
    for (const auto& b : badges)
        if (!b.revoked_ms) current = &b;  // badges_of is in serial order: the newest unrevoked
    if (badges.size() == 1 && current) return current->serial;
    if (!current)
        throw UsageError("every badge of " + who_ + " is already revoked (" + serials(badges) +
                         "): nothing to revoke. A new badge: muster badges issue --participant " + std::to_string(id));
    throw UsageError(who_ + " has had " + std::to_string(badges.size()) + " badges (" + serials(badges) +
                     "): this would revoke badge " + std::to_string(current->serial) + ". To do so, say --serial " +
                     std::to_string(current->serial));
}

int issue(const Args& a, Context& ctx) {
    auto db = ctx.hub.open();
    std::vector<ParticipantId> who;
    if (auto id = a.get_int("participant")) {
        who.push_back(require_participant(*db, *id).id);
    } else if (a.flag("all")) {
        for (const auto& p : store::all_participants(*db))
            if (!store::participant_withdrawn(*db, p.id)) who.push_back(p.id);  // withdrawn: --participant only
    } else {
        throw UsageError("say --participant ID or --all");
    }
    auto key = ctx.hub.signing_key();
    db::Transaction tx(*db);
    auto change = store::next_change(*db);
    std::size_t issued = 0;
    for (auto id : who) {
        // --all gives a badge to whoever has none; --participant always issues a new one.
        if (a.flag("all") && store::current_badge(*db, id)) continue;
        store::issue_signed_badge(*db, key, id, uk_time::now_ms(), change);
        ++issued;
    }
    tx.commit();
    ctx.out << "Issued " << issued << " badge(s). Print them with: muster badges print --out badges.html"
            << " (or cards to email: muster badges files --out DIR)\n";
    return 0;
}

int revoke(const Args& a, Context& ctx) {
    auto db = ctx.hub.open();
    auto p = require_participant(*db, a.require_int("participant"));
    std::string reason = a.require_text("reason", limits::reason_chars);
    std::optional<badge::HubKeyPair> key;
    if (a.flag("reissue")) key = ctx.hub.signing_key();
    db::Transaction tx(*db);
    auto change = store::next_change(*db);
    std::int64_t serial = choose_serial_to_revoke(p.id, store::badges_of(*db, p.id), a.get_int("serial"));
    if (!store::revoke_badge(*db, p.id, serial, reason, uk_time::now_ms(), change))
        throw UsageError("badge " + std::to_string(serial) + " of participant " + std::to_string(p.id) +
                         " does not exist or is already revoked");
    if (key) store::issue_signed_badge(*db, *key, p.id, uk_time::now_ms(), change);
    tx.commit();
    ctx.out << "Revoked badge " << serial << " of participant " << p.id << "; devices refuse it once they sync.\n";
    if (key) ctx.out << "Issued replacement badge " << store::current_badge(*db, p.id)->serial
                     << ": muster badges print --participant " << p.id << " --out FILE\n";
    return 0;
}

int print(const Args& a, Context& ctx) {
    std::string out_path = a.require("out");
    auto db = ctx.hub.open();
    auto info = ctx.hub.info(*db);
    auto badges = badges_to_print(*db, ctx.hub.signing_key(), a);
    std::vector<badge::PrintableBadge> sheet;
    for (auto& b : badges.ready) sheet.push_back({std::move(b.participant), std::move(b.token)});
    replace_private_file(out_path, badge::render_badge_sheet(info.name, sheet));
    ctx.out << "Wrote " << sheet.size() << " badge(s) to " << out_path << " (A4, 8 a page; print at 100%).\n";
    if (badges.without) ctx.out << badges.without << " without a badge: muster badges issue --all\n";
    return 0;
}

int files(const Args& a, Context& ctx) {
    std::filesystem::path dir = a.require("out");
    auto db = ctx.hub.open();
    auto info = ctx.hub.info(*db);
    auto badges = badges_to_print(*db, ctx.hub.signing_key(), a);
    auto written = write_badge_files(dir, info.name, badges.ready);
    ctx.out << "Wrote " << written.cards << " badge card(s) to " << dir.string()
            << " (PNG, 85 x 54 mm at 300 dpi: print at 100%) and " << (dir / badge_csv_name).string()
            << " (first_name, last_name, email, file) for a mail merge.\n";
    if (written.without_email)
        ctx.out << written.without_email << " of them have no email in the roster: their rows in "
                << badge_csv_name << " have none.\n";
    if (badges.without) ctx.out << badges.without << " without a badge: muster badges issue --all\n";
    return 0;
}

int card_attach(const Args& a, Context& ctx) {
    auto db = ctx.hub.open();
    auto p = require_participant(*db, a.require_int("participant"));
    std::string uid = store::normalise_uid(a.require("uid"));
    if (uid.empty()) throw UsageError("--uid must be the card's UID in hex (8 or 14 hex digits)");
    db::Transaction tx(*db);
    std::optional<Participant> from;
    if (auto owner = store::card_owner(*db, uid)) {
        if (*owner == p.id) throw std::runtime_error("card " + uid + " already checks in participant " + who(p) + ": nothing to change");
        from = store::find_participant(*db, *owner);
        std::string them = from ? who(*from) : std::to_string(*owner);
        if (!a.flag("move"))
            throw std::runtime_error("card " + uid + " belongs to participant " + them + ". To give it to " + who(p) +
                                     " instead, add --move (they can no longer check in with it).");
    }
    // One statement moves the card: the row's owner and changed_at change together, so a
    // device hears of the new owner in the same sync that takes it from the old one.
    store::attach_card(*db, uid, p.id, uk_time::now_ms(), store::next_change(*db));
    tx.commit();
    if (from) ctx.out << "Card " << uid << " moved from participant " << who(*from) << " to " << who(p) << ".\n";
    else ctx.out << "Card " << uid << " now checks in participant " << p.id << ".\n";
    return 0;
}

int card_detach(const Args& a, Context& ctx) {
    auto db = ctx.hub.open();
    std::string uid = store::normalise_uid(a.require("uid"));
    db::Transaction tx(*db);
    bool done = store::detach_card(*db, uid, uk_time::now_ms(), store::next_change(*db));
    tx.commit();
    if (!done) throw UsageError("card " + a.require("uid") + " is not attached to anyone");
    ctx.out << "Card " << uid << " detached; devices refuse it once they sync.\n";
    return 0;
}

}  // namespace

std::vector<Command> badge_commands() {
    return {
        {"badges issue", "Issue badges (a new serial) to one participant or to everyone without one",
         "--participant ID | --all", {"participant"}, {"all"}, issue},
        {"badges revoke", "Revoke a lost badge (optionally issuing a replacement)",
         "--participant ID --reason TEXT [--serial N] [--reissue]", {"participant", "reason", "serial"}, {"reissue"}, revoke},
        {"badges print", "Write a printable A4 badge sheet (HTML, QR codes signed by the hub key)",
         "--out FILE.html [--participant ID | --event ID]", {"out", "participant", "event"}, {}, print},
        {"badges files", "Write one badge card a person (PNG) and badges.csv for a mail merge",
         "--out DIR [--participant ID | --event ID]", {"out", "participant", "event"}, {}, files},
        {"card attach", "Attach an NFC card (by UID) to a participant (--move takes it from whoever has it)",
         "--uid HEX --participant ID [--move]", {"uid", "participant"}, {"move"}, card_attach},
        {"card detach", "Detach a lost NFC card", "--uid HEX", {"uid"}, {}, card_detach},
    };
}

}  // namespace muster::admin

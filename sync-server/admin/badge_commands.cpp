#include "command.hpp"

#include "muster/badge/badge_sheet.hpp"
#include "muster/badge/badge_token.hpp"
#include "muster/store/badge_store.hpp"
#include "muster/store/event_store.hpp"
#include "muster/store/participant_store.hpp"
#include "muster/time/uk_time.hpp"

#include <fstream>
#include <ostream>

namespace muster::admin {
namespace {

Participant require_participant(db::Database& db, long long id) {
    auto p = store::find_participant(db, id);
    if (!p) throw UsageError("no participant " + std::to_string(id));
    return *p;
}

int issue(const Args& a, Context& ctx) {
    auto db = ctx.hub.open();
    std::vector<ParticipantId> who;
    if (auto id = a.get_int("participant")) who.push_back(require_participant(*db, *id).id);
    else if (a.flag("all"))
        for (const auto& p : store::all_participants(*db)) who.push_back(p.id);
    else throw UsageError("say --participant ID or --all");
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
    ctx.out << "Issued " << issued << " badge(s). Print them with: muster badges print --out badges.html\n";
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
    std::int64_t serial = 0;
    if (auto s = a.get_int("serial")) serial = *s;
    else if (auto cur = store::current_badge(*db, p.id)) serial = cur->serial;
    else throw UsageError("participant " + std::to_string(p.id) + " has no badge to revoke");
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
    auto key = ctx.hub.signing_key();
    std::vector<Participant> people;
    if (auto id = a.get_int("participant")) people.push_back(require_participant(*db, *id));
    else if (auto ev = a.get_int("event")) {
        for (const auto& e : store::enrolments(*db, *ev))
            if (auto p = store::find_participant(*db, e.participant_id)) people.push_back(*p);
    } else people = store::all_participants(*db);

    std::vector<badge::PrintableBadge> sheet;
    std::size_t without = 0;
    for (auto& p : people) {
        auto b = store::current_badge(*db, p.id);
        if (!b) {
            ++without;
            continue;
        }
        std::string token = badge::sign_badge(key, {p.id, static_cast<std::uint16_t>(b->serial)});
        store::record_token_digest(*db, p.id, b->serial, badge::token_digest(token));  // badges issued before digests
        sheet.push_back({std::move(p), std::move(token)});
    }
    std::ofstream f(out_path, std::ios::binary);
    if (!f) throw UsageError("cannot write " + out_path);
    f << badge::render_badge_sheet(info.name, sheet);
    if (!f.flush()) throw UsageError("cannot write " + out_path);
    ctx.out << "Wrote " << sheet.size() << " badge(s) to " << out_path << " (A4, 8 a page; print at 100%).\n";
    if (without) ctx.out << without << " participant(s) have no badge yet: muster badges issue --all\n";
    return 0;
}

int card_attach(const Args& a, Context& ctx) {
    auto db = ctx.hub.open();
    auto p = require_participant(*db, a.require_int("participant"));
    std::string uid = store::normalise_uid(a.require("uid"));
    if (uid.empty()) throw UsageError("--uid must be the card's UID in hex (8 or 14 hex digits)");
    db::Transaction tx(*db);
    store::attach_card(*db, uid, p.id, uk_time::now_ms(), store::next_change(*db));
    tx.commit();
    ctx.out << "Card " << uid << " now checks in participant " << p.id << ".\n";
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
        {"card attach", "Attach an NFC card (by UID) to a participant", "--uid HEX --participant ID",
         {"uid", "participant"}, {}, card_attach},
        {"card detach", "Detach a lost NFC card", "--uid HEX", {"uid"}, {}, card_detach},
    };
}

}  // namespace muster::admin

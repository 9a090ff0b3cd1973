// `muster demo`: a believable hub to try Muster on, built through the same code paths a
// real hub uses (roster CSV import, templates, badge signing, device provisioning).
#include "command.hpp"
#include "demo_roster.hpp"
#include "device_provision.hpp"

#include "muster/badge/badge_sheet.hpp"
#include "muster/badge/badge_token.hpp"
#include "muster/roster/roster_import.hpp"
#include "muster/store/badge_store.hpp"
#include "muster/store/event_store.hpp"
#include "muster/store/participant_store.hpp"
#include "muster/time/uk_time.hpp"

#include <algorithm>
#include <fstream>
#include <ostream>

namespace muster::admin {
namespace {

// The demo sync server's port (loopback): scripts/run.sh starts the server and points the kiosk at it.
constexpr int demo_port = 8443;

std::string local_date_plus(TimeMs now, int days) { return uk_time::format_date(now + days * 86'400'000LL); }

// The demo conference is today; if the check-in windows are shut at this hour, its
// sessions are moved so that check-in is open now (said in the output).
bool open_sessions_now(db::Database& db, EventId event, TimeMs now) {
    auto e = store::load_event(db, event);
    if (store::current_session(*e, now) && now >= e->sessions.front().window_opens_ms() &&
        now <= e->sessions.back().window_closes_ms())
        return false;
    TimeMs start = now - 30 * 60'000LL;
    db::Transaction tx(db);
    auto change = store::next_change(db);
    for (const auto& session : e->sessions) {
        TimeMs length = session.ends_ms - session.starts_ms;
        store::reschedule_session(db, session.id, start, start + length, change);
        start += length + 45 * 60'000LL;
    }
    tx.commit();
    return true;
}

// The demo delivers its signed-off events' records to files, so the Deliveries page and
// `muster central status` show real deliveries without a CRM (docs/central.md): a CRM import
// CSV and the lead provider's evidence CSV, in folders beside the hub database.
void add_demo_central_targets(const HubDir& hub) {
    for (const char* folder : {"outgoing/crm", "outgoing/lead-provider"}) {
        std::filesystem::create_directories(hub.dir() / folder);
        std::filesystem::permissions(hub.dir() / folder, std::filesystem::perms::owner_all,
                                     std::filesystem::perm_options::replace);
    }
    std::ofstream(hub.server_config_path(), std::ios::app)
        << "\n# Records to the central attendance records (docs/central.md): the demo writes files.\n"
        << "[[central.target]]\n"
        << "name = \"crm-import\"\n"
        << "kind = \"csv\"\n"
        << "folder = \"outgoing/crm\"\n\n"
        << "[[central.target]]\n"
        << "name = \"lead-provider\"\n"
        << "kind = \"evidence-csv\"\n"
        << "folder = \"outgoing/lead-provider\"\n";
}

int demo(const Args& a, Context& ctx) {
    const HubDir& hub = ctx.hub;
    if (hub.exists()) {
        if (!a.flag("replace")) throw UsageError("a hub already exists in " + hub.dir().string() + " (use --replace to rebuild the demo)");
        if (!std::filesystem::exists(hub.dir() / "DEMO"))
            throw UsageError(hub.dir().string() + " is a real hub, not a demo: refusing to replace it");
        std::filesystem::remove_all(hub.dir());
    }
    TimeMs now = uk_time::now_ms();
    // The demo's server listens on loopback only (public_url https://localhost:8443): the run
    // command starts it beside a kiosk on this one machine.
    hub.create("Northbridge Teaching School Hub (demo)", ServerSetup{{}, "127.0.0.1", demo_port, {}});
    std::ofstream(hub.dir() / "DEMO") << "This folder was made by `muster demo` and may be replaced by it.\n";
    add_demo_central_targets(hub);
    auto db = hub.open();

    auto report = roster::import_roster(*db, demo_roster_csv({}));
    if (!report.committed) throw std::runtime_error("demo roster did not import: " + roster::format_issue(report.errors.at(0)));

    struct Planned { const char* programme; const char* item; int cohort; int days; int rooms; };
    const Planned plan[] = {
        {"ect-y1", "conference-1", 2025, 0, 4},  {"mentor", "conference-1", 2025, 1, 3},
        {"ect-y1", "clinic-1", 2025, 21, 0},     {"ect-y2", "conference-3", 2024, 28, 3},
        {"ect-y1", "conference-2", 2025, 56, 4}, {"npq", "launch-conference", 2025, 35, 1},
    };
    std::vector<EventId> events;
    for (const auto& p : plan)
        events.push_back(store::create_event(*db, {p.programme, p.item, p.cohort, local_date_plus(now, p.days),
                                                   "The Northbridge Centre, Leeds LS1 4AP", p.rooms, 10}));
    bool moved = open_sessions_now(*db, events[0], now);

    auto key = hub.signing_key();
    auto people = store::all_participants(*db);
    std::vector<badge::PrintableBadge> sheet;
    std::optional<ParticipantId> revoked_person;
    {
        db::Transaction tx(*db);
        auto change = store::next_change(*db);
        for (const auto& p : people) sheet.push_back({p, store::issue_signed_badge(*db, key, p.id, now, change)});
        // One lost badge, replaced, so the demo can show a revoked badge being refused.
        revoked_person = people.at(1).id;
        store::revoke_badge(*db, *revoked_person, 1, "lost at clinic 1", now, change);
        sheet.at(1).token = store::issue_signed_badge(*db, key, *revoked_person, now, change);
        // Two NFC lanyard cards (7-byte and 4-byte UIDs) for the first two ECTs.
        store::attach_card(*db, "04A1B2C3D4E5F6", people.at(0).id, now, change);
        store::attach_card(*db, "DEADBEEF", people.at(2).id, now, change);
        tx.commit();
    }
    std::ofstream(hub.dir() / "badges.html") << badge::render_badge_sheet("Northbridge Teaching School Hub (demo)", sheet);

    // Sample scans for trying the headless kiosk: one line each, as a scanner would type them.
    auto first_mentor = std::find_if(people.begin(), people.end(), [](const Participant& p) { return p.role == Role::mentor; });
    std::ofstream scans(hub.dir() / "demo-scans.txt");
    scans << sheet.at(0).token << "\n" << sheet.at(3).token << "\n" << sheet.at(0).token << "\n";
    if (first_mentor != people.end())
        scans << badge::sign_badge(key, {first_mentor->id, 1}) << "\n";  // not expected at the ECT conference
    scans << badge::sign_badge(key, {*revoked_person, 1}) << "\n";      // the lost badge
    scans << sheet.at(4).token.substr(0, 60) << "\n";                   // a torn code
    scans << "HELLO-WORLD\n";                                           // not a badge at all

    std::vector<std::string> server_url = {a.get("server").value_or(hub.default_server_url())};
    DeviceSpec entrance{"entrance-1", "Main entrance", DeviceMode::entrance, events[0], std::nullopt, "2468", server_url};
    auto entrance_file = provision_device(hub, *db, entrance, hub.dir() / "devices" / "entrance-1");
    auto first_event = store::load_event(*db, events[0]);
    DeviceSpec room{"room-1", "Room 1 door", DeviceMode::room, events[0], first_event->rooms.at(0).id, "2468", server_url};
    auto room_file = provision_device(hub, *db, room, hub.dir() / "devices" / "room-1");

    std::size_t by_role[7] = {};
    for (const auto& p : people) ++by_role[static_cast<int>(p.role)];
    ctx.out << "Demo hub created in " << hub.dir().string() << "\n"
            << "  roster: " << people.size() << " participants (" << by_role[0] << " ECTs, " << by_role[1] << " mentors, "
            << by_role[2] << " induction tutors, " << by_role[3] << " facilitators, " << by_role[4] << " NPQ, "
            << by_role[5] << " hub staff) at 12 schools; " << report.warnings.size() << " TRNs repaired on import\n"
            << "  events:\n";
    for (auto id : events) {
        auto e = store::load_event(*db, id);
        ctx.out << "    " << e->id << "  " << e->local_date << "  " << e->title << "  (" << store::enrolments(*db, id).size()
                << " expected, " << e->rooms.size() << " rooms)\n";
    }
    if (moved) ctx.out << "  (event 1's sessions were moved to start 30 minutes ago, so check-in is open now)\n";
    ctx.out << "  badges: " << sheet.size() << " signed badges in " << (hub.dir() / "badges.html").string()
            << "; one revoked and reissued; 2 NFC cards attached\n"
            << "  devices: " << entrance_file.string() << "\n           " << room_file.string() << "  (staff PIN 2468)\n"
            << "  sample scans to type into a kiosk: " << (hub.dir() / "demo-scans.txt").string() << "\n"
            << "  central records: an event's records go to " << (hub.dir() / "outgoing").string()
            << " (CRM import and lead-provider evidence CSVs) once it is signed off\n";
    return 0;
}

}  // namespace

std::vector<Command> demo_commands() {
    return {{"demo", "Create a demo hub: roster, events, signed badges, NFC cards and two devices",
             "[--hub DIR] [--replace] [--server URL]", {"server"}, {"replace"}, demo}};
}

}  // namespace muster::admin

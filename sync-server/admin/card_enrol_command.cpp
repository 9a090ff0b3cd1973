// `muster card enrol`: attach the next card tapped on a reader to a participant, for hubs
// handing out NFC lanyard cards at the desk. Built when NFC support is (MUSTER_WITH_NFC).
#include "command.hpp"

#include "muster/store/badge_store.hpp"
#include "muster/store/participant_store.hpp"
#include "muster/time/uk_time.hpp"
#include "nfc_source.hpp"
#include "scan_queue.hpp"

#include <ostream>

namespace muster::admin {
namespace {

int enrol(const Args& a, Context& ctx) {
    auto db = ctx.hub.open();
    auto participant = a.require_int("participant");
    if (!store::find_participant(*db, participant)) throw UsageError("no participant " + std::to_string(participant));
    auto seconds = a.get_int("timeout").value_or(30);
    if (seconds < 1 || seconds > 600) throw UsageError("--timeout must be 1 to 600 seconds");

    kiosk::nfc::NfcSource::Options options;
    options.connstring = a.get("reader").value_or("");
    kiosk::nfc::NfcSource reader(options);
    kiosk::ScanQueue ignored;  // taps go to wait_for_tag while it waits
    reader.start(ignored);
    ctx.out << "Tap the card for participant " << participant << " on the reader (waiting " << seconds << " s)...\n"
            << std::flush;
    auto tag = reader.wait_for_tag(std::chrono::seconds(seconds));
    auto status = reader.status();
    reader.stop();
    if (!tag) {
        ctx.err << "No card was tapped. Reader: " << kiosk::to_string(status.state)
                << (status.message.empty() ? "" : " (" + status.message + ")") << "\n";
        return 1;
    }
    db::Transaction tx(*db);
    auto previous = store::card_owner(*db, tag->uid);
    store::attach_card(*db, tag->uid, participant, uk_time::now_ms(), store::next_change(*db));
    tx.commit();
    ctx.out << "Card " << tag->uid << " now checks in participant " << participant
            << (previous && *previous != participant ? " (it was attached to participant " + std::to_string(*previous) + ")" : "")
            << ".\n";
    return 0;
}

}  // namespace

std::vector<Command> card_enrol_commands() {
    return {{"card enrol", "Attach the next card tapped on an NFC reader to a participant",
             "--participant ID [--reader CONNSTRING] [--timeout SECONDS]", {"participant", "reader", "timeout"}, {}, enrol}};
}

}  // namespace muster::admin

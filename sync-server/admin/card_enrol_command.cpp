// `muster card enrol`: attach the next card tapped on a reader to a participant, for hubs
// handing out NFC lanyard cards at the desk. Built when NFC support is (MUSTER_WITH_NFC).
#include "command.hpp"

#include "muster/store/badge_store.hpp"
#include "muster/store/participant_store.hpp"
#include "muster/nfc/nfc_reader.hpp"
#include "muster/nfc/tag_reader.hpp"
#include "muster/time/uk_time.hpp"

#include <algorithm>
#include <chrono>
#include <memory>
#include <optional>
#include <ostream>
#include <thread>

namespace muster::admin {
namespace {

using Clock = std::chrono::steady_clock;

// The kiosk's poll period: a tap is seen within it, at a fraction of a core while idle.
constexpr auto poll_every = std::chrono::milliseconds(60);
// A reader that is missing (not plugged in yet) is looked for again this often.
constexpr auto reopen_every = std::chrono::milliseconds(500);
// Failed exchanges in a row before the reader is closed and opened again (a reset PN532).
constexpr int errors_before_reopen = 3;

struct CardWait {
    std::optional<std::string> uid;  // upper-case hex, as the kiosk reports it
    std::string reader = "NFC reader starting";  // its last state in its own words, for "no card"
};

// Polls the reader until a card is in the field or `deadline` passes. The command has
// nothing else to do meanwhile, so it waits on its own thread. Only the UID is read: that
// is what a card is enrolled by. A card already on the reader when it opens counts.
CardWait wait_for_card(const std::string& connstring, Clock::time_point deadline) {
    CardWait wait;
    std::unique_ptr<nfc::NfcContext> context;
    std::unique_ptr<nfc::NfcReader> reader;
    int errors = 0;
    auto pause = [&](std::chrono::milliseconds how_long) {
        std::this_thread::sleep_until(std::min(deadline, Clock::now() + how_long));
    };
    while (Clock::now() < deadline) {
        if (!reader) {
            if (!context || !context->ok()) context = std::make_unique<nfc::NfcContext>();
            std::string error = "libnfc could not start (check /etc/nfc/libnfc.conf)";
            if (context->ok()) reader = nfc::NfcReader::open(*context, connstring, error);
            if (!reader) {
                wait.reader = "NFC reader unavailable: " + error + "; retrying";
                pause(reopen_every);
                continue;
            }
            wait.reader = "NFC reader ready (" + reader->name() + ")";
            errors = 0;
        }
        std::optional<nfc::SelectedTag> tag;
        const int result = reader->select_tag(tag);
        if (tag) {
            wait.uid = nfc::uid_hex(tag->uid);
            return wait;
        }
        if (result < 0 && ++errors >= errors_before_reopen) {
            wait.reader = "NFC reader stopped answering (" + nfc::describe_nfc_code(result) + "); reconnecting";
            reader.reset();
            continue;
        }
        if (result >= 0) errors = 0;
        pause(poll_every);
    }
    return wait;
}

int enrol(const Args& a, Context& ctx) {
    auto db = ctx.hub.open();
    auto participant = a.require_int("participant");
    if (!store::find_participant(*db, participant)) throw UsageError("no participant " + std::to_string(participant));
    auto seconds = a.get_int("timeout").value_or(30);
    if (seconds < 1 || seconds > 600) throw UsageError("--timeout must be 1 to 600 seconds");

    const auto deadline = Clock::now() + std::chrono::seconds(seconds);
    ctx.out << "Tap the card for participant " << participant << " on the reader (waiting " << seconds << " s)...\n"
            << std::flush;
    const CardWait card = wait_for_card(a.get("reader").value_or(""), deadline);
    if (!card.uid) {
        ctx.err << "No card was tapped. " << card.reader << ".\n";
        return 1;
    }
    db::Transaction tx(*db);
    auto previous = store::card_owner(*db, *card.uid);
    store::attach_card(*db, *card.uid, participant, uk_time::now_ms(), store::next_change(*db));
    tx.commit();
    ctx.out << "Card " << *card.uid << " now checks in participant " << participant
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

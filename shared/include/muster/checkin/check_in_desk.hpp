#pragma once
// The check-in desk of one device: takes what an input read, works out who it is
// (signature, roster, revocations, NFC cards), applies the rules and commits the record
// durably before anyone is told the result (principle 1). Used by the kiosk, the
// headless kiosk and the benchmarks; one desk per thread (it owns an OpenSSL context).
#include "muster/badge/badge_token.hpp"
#include "muster/checkin/check_in_rules.hpp"
#include "muster/db/database.hpp"
#include "muster/model/types.hpp"

#include <optional>
#include <string>

namespace muster::checkin {

// What an input read, before anyone looked at it.
struct ScanInput {
    Method method = Method::qr;
    std::string payload;  // QR text, wedge text, or an NFC card's NDEF text
    std::string nfc_uid;  // NFC only
};

struct ScanResult {
    Decision decision;
    CheckIn record;                          // as committed
    std::optional<Participant> participant;  // who it was, if known
    std::optional<std::string> room_name;    // the room they are allocated to
};

class CheckInDesk {
public:
    CheckInDesk(db::Database& db, const badge::PublicKey& hub_key, DeviceSetup setup);

    // Decides and durably records one scan. Every scan is recorded, refusals included,
    // so the day can be audited; only counted outcomes change attendance.
    ScanResult scan(const ScanInput& input, TimeMs now);
    // Staff checks someone in by hand (no badge), with a reason; ignores the window.
    // std::invalid_argument naming the field ("reason: longer than 500 characters") when the
    // reason or name is empty or breaks the field limits; nothing is written then.
    ScanResult manual_check_in(ParticipantId participant, const std::string& reason, const std::string& staff, TimeMs now);
    // Cancels this device's last counted scan with a void record. nullopt if none.
    // Refuses text as manual_check_in does.
    std::optional<Correction> void_last_scan(const std::string& reason, const std::string& staff, TimeMs now);

    // Resolution of a credential alone (signature, revocation, roster), no record written.
    Credential identify(const ScanInput& input);

    const DeviceSetup& setup() const { return setup_; }
    // Re-reads the digests of issued badges (after a sync brought new ones).
    void reload_issued_badges();
    // Switching session (morning / afternoon) or entry / exit mode, from the staff screen.
    void set_session(SessionId session);
    void set_direction(Direction direction) { setup_.direction = direction; }

private:
    ScanResult commit(const Credential& credential, TimeMs now, bool staff_override,
                      const std::optional<std::string>& staff, const std::string& manual_reason);

    db::Database& db_;
    badge::BadgeVerifier verifier_;
    DeviceSetup setup_;
    Session session_;
};

}  // namespace muster::checkin

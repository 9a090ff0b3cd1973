#include "kiosk_model.hpp"

#include "scan_report.hpp"

#include "muster/store/device_privacy.hpp"
#include "muster/store/participant_store.hpp"
#include "muster/store/satisfaction_store.hpp"
#include "muster/time/uk_time.hpp"
#include "muster/util/pin_hash.hpp"

#include <stdexcept>

namespace muster::kiosk {

Tone tone_of(Outcome outcome) {
    switch (outcome) {
        case Outcome::checked_in:
        case Outcome::checked_out: return Tone::welcome;
        case Outcome::already_checked_in:
        case Outcome::not_expected:
        case Outcome::wrong_room:
        case Outcome::outside_window: return Tone::attention;
        case Outcome::unknown_badge:
        case Outcome::invalid_badge:
        case Outcome::revoked_badge: return Tone::refused;
    }
    return Tone::refused;
}

KioskModel::KioskModel(DeviceConfig config, ScanQueue& queue)
    : config_(std::move(config)),
      queue_(queue),
      station_(config_),
      question_(QuestionSettings{config_.satisfaction_question, std::chrono::seconds(config_.satisfaction_timeout_s)}) {
    station_.start_sync();
}

KioskModel::~KioskModel() {
    // Staff quit: hand over what is queued if the hub answers within a moment; anything left
    // stays in the outbox and goes at the next start.
    if (auto sync = station_.sync_status(); sync && sync->online) station_.hand_over(std::chrono::seconds(2));
}

std::optional<SyncStatus> KioskModel::sync_status() const { return station_.sync_status(); }

bool KioskModel::asks_question() const {
    return config_.satisfaction_question && station_.desk().setup().direction == Direction::exit;
}

void KioskModel::show(checkin::ScanResult result, Clock::time_point now) {
    // A scan while the question (or its thank-you) is up is a scan like any other: the
    // question goes, unanswered, and nothing is stored for it.
    question_.close();
    question_due_ = result.decision.outcome == Outcome::checked_out && asks_question();
    last_ = std::move(result);
    not_recorded_.reset();
    shown_at_ = now;
    ++results_shown_;
    if (screen_ == Screen::ready || screen_ == Screen::result || screen_ == Screen::question || screen_ == Screen::thanks)
        screen_ = Screen::result;
    else
        question_due_ = false;  // staff had the screen: they are not asked
}

void KioskModel::show_not_recorded(const db::Error& error, Clock::time_point now) {
    // Red, never a welcome: nothing of the scan was written (the transaction rolled back).
    question_.close();
    question_due_ = false;
    last_.reset();
    not_recorded_ = not_recorded_reason(error);
    last_store_error_ = "sqlite_code " + std::to_string(error.extended_code()) + ": " + error.what();
    ++scans_not_recorded_;
    shown_at_ = now;
    ++results_shown_;
    if (screen_ == Screen::ready || screen_ == Screen::result || screen_ == Screen::question || screen_ == Screen::thanks)
        screen_ = Screen::result;
}

void KioskModel::tick(Clock::time_point now) {
    if (auto purge = station_.follow_privacy(uk_time::now_ms())) purge_ = purge;
    for (const auto& scan : queue_.drain()) {
        // After the roster purge a scan is not recorded: the ready screen says the event is over.
        if (station_.roster_removed()) continue;
        try {
            show(station_.handle(scan), now);  // committed before it is shown, and before it is sent
        } catch (const db::Error& e) {
            show_not_recorded(e, now);  // the disk is full: the kiosk carries on, and says so
        }
    }
    station_.follow_hub();
    follow_question(now);
    if (screen_ == Screen::result && now - shown_at_ > result_time) screen_ = Screen::ready;
}

void KioskModel::follow_question(Clock::time_point now) {
    if (screen_ == Screen::result && question_due_ && now - shown_at_ > goodbye_time) {
        question_due_ = false;
        // The event and the session of the check-out: all the answer will be stored with.
        question_.ask({station_.event().id, station_.desk().setup().session_id}, now);
        screen_ = Screen::question;
    }
    if (screen_ == Screen::thanks && now - thanks_at_ > thanks_time) screen_ = Screen::ready;
    if (screen_ != Screen::question) return;
    switch (question_.poll(now)) {
    case SatisfactionQuestion::State::answered: {
        const auto& a = question_.answer();
        // Stored with no log line: a timestamped line beside the scan's would join them again.
        // Not nudged to the hub either: it goes with the next regular pass (docs/satisfaction.md).
        try {
            store::record_satisfaction_answer(station_.database(), a.context.event_id, a.context.session_id, a.answer,
                                              uk_time::now_ms());
        } catch (const db::Error&) {
            // A full disk: the answer is lost (anonymous, optional); the thank-you still shows.
        }
        thanks_at_ = now;
        screen_ = Screen::thanks;
        break;
    }
    case SatisfactionQuestion::State::timed_out:
    case SatisfactionQuestion::State::closed: screen_ = Screen::ready; break;  // skipped: nothing stored
    case SatisfactionQuestion::State::waiting: break;
    }
}

void KioskModel::open_staff() {
    screen_ = Screen::staff_pin;
    staff_message_.clear();
}

bool KioskModel::enter_pin(const std::string& pin) {
    if (pin_failures_ >= 5) {
        staff_message_ = "Too many wrong PINs: restart the kiosk to try again";
        return false;
    }
    if (!verify_pin(pin, config_.staff_pin_hash)) {
        ++pin_failures_;
        staff_message_ = "Wrong PIN";
        return false;
    }
    pin_failures_ = 0;
    staff_message_.clear();
    screen_ = Screen::staff;
    return true;
}

void KioskModel::close_staff() { screen_ = Screen::ready; }

const std::vector<Participant>& KioskModel::search(const std::string& query) {
    return cached(search_, query, [&] { return store::search_device_participants(station_.database(), station_.trn_key(), query, 12); });
}

std::string KioskModel::manual_check_in(ParticipantId id, const std::string& reason, const std::string& staff) {
    if (reason.empty() || staff.empty()) return staff_message_ = "A manual check-in needs your name and a reason";
    checkin::ScanResult r;
    try {
        r = station_.desk().manual_check_in(id, reason, staff, uk_time::now_ms());
    } catch (const std::invalid_argument& e) {
        // Text over the field limits: nothing was written; staff see which field and why.
        return staff_message_ = std::string("Not checked in: ") + e.what();
    } catch (const db::Error& e) {
        return staff_message_ = "Not checked in. " + not_recorded_reason(e);
    }
    station_.nudge_sync();
    std::string who = r.participant ? r.participant->public_name() : "participant " + std::to_string(id);
    return staff_message_ = who + ": " + std::string(label_of(r.decision.outcome));
}

std::string KioskModel::void_last(const std::string& reason, const std::string& staff) {
    if (reason.empty() || staff.empty()) return staff_message_ = "Voiding a scan needs your name and a reason";
    std::optional<Correction> v;
    try {
        v = station_.desk().void_last_scan(reason, staff, uk_time::now_ms());
    } catch (const std::invalid_argument& e) {
        return staff_message_ = std::string("Not voided: ") + e.what();
    } catch (const db::Error& e) {
        return staff_message_ = "Not voided. " + not_recorded_reason(e);
    }
    station_.nudge_sync();
    return staff_message_ = v ? "The last scan was voided (the record is kept, marked void)" : "There is no scan to void";
}

void KioskModel::switch_session(SessionId id) {
    station_.desk().set_session(id);
    staff_message_ = "Now checking in: " + station_.session().name;
}

void KioskModel::toggle_direction() {
    auto d = station_.desk().setup().direction == Direction::entry ? Direction::exit : Direction::entry;
    station_.desk().set_direction(d);
    staff_message_ = d == Direction::entry ? "Now checking people in" : "Now checking people out";
}

std::string_view label_of(Outcome o) {
    switch (o) {
        case Outcome::checked_in: return "checked in";
        case Outcome::checked_out: return "checked out";
        case Outcome::already_checked_in: return "already checked in";
        case Outcome::not_expected: return "checked in, not on this event's list (flagged)";
        case Outcome::unknown_badge: return "not on this device's roster";
        case Outcome::invalid_badge: return "badge not valid";
        case Outcome::revoked_badge: return "badge revoked";
        case Outcome::outside_window: return "outside the check-in window";
        case Outcome::wrong_room: return "wrong room";
    }
    return "?";
}

}  // namespace muster::kiosk

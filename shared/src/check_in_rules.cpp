#include "muster/checkin/check_in_rules.hpp"

#include "muster/time/uk_time.hpp"

namespace muster::checkin {

Decision decide(const RuleInput& in) {
    const Credential& c = in.credential;
    switch (c.state) {
        case CredentialState::invalid: return {Outcome::invalid_badge, c.reason, std::nullopt};
        case CredentialState::revoked:
            return {Outcome::revoked_badge, "This badge was reported lost and replaced", std::nullopt};
        case CredentialState::unknown_person:
            return {Outcome::unknown_badge, c.reason.empty() ? "Badge not on this device's list" : c.reason, std::nullopt};
        case CredentialState::genuine: break;
    }

    if (!in.staff_override) {
        if (in.now < in.session.window_opens_ms())
            return {Outcome::outside_window,
                    "Check-in for " + in.session.name + " opens " + uk_time::format_when(in.session.window_opens_ms(), in.now),
                    std::nullopt};
        if (in.now > in.session.window_closes_ms())
            return {Outcome::outside_window,
                    "Check-in for " + in.session.name + " closed " + uk_time::format_when(in.session.window_closes_ms(), in.now),
                    std::nullopt};
    }

    const ParticipantAtEvent& at = in.at_event;
    if (in.device.mode == DeviceMode::room && at.enrolled && at.room_id && in.device.room_id &&
        *at.room_id != *in.device.room_id)
        return {Outcome::wrong_room, "Your room is " + at.room_name.value_or("another room"), std::nullopt};

    if (in.device.direction == Direction::exit) {
        std::string reason = in.prior.first_entry_ms ? "" : "No entry was recorded for this session";
        return {Outcome::checked_out, reason, in.prior.first_entry_ms};
    }

    if (in.prior.last_direction == Direction::entry)
        return {Outcome::already_checked_in, "Already checked in at " + uk_time::format_hhmm(in.prior.first_entry_ms.value_or(in.now)),
                in.prior.first_entry_ms};

    if (!at.enrolled)
        return {Outcome::not_expected, "Not on this event's list: recorded as a possible alternate-date attendance",
                std::nullopt};

    std::string reason = in.prior.last_direction == Direction::exit ? "Back in after leaving" : "";
    return {Outcome::checked_in, reason, in.prior.first_entry_ms};
}

}  // namespace muster::checkin

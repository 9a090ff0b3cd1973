// The result screen: green welcome, amber "needs attention", red refusal. Each with its
// icon and words; the public name is first name and initial only.
#include "screen_style.hpp"
#include "screens.hpp"

#include "muster/time/uk_time.hpp"

namespace muster::kiosk {

ResultWords result_words(const checkin::ScanResult& r) {
    std::string name = r.participant ? r.participant->public_name() : "";
    std::string role_room = r.participant ? std::string(label(r.participant->role)) : "";
    if (r.room_name) role_room += (role_room.empty() ? "" : "  ·  ") + *r.room_name;
    switch (r.decision.outcome) {
        case Outcome::checked_in: return {"Welcome, " + name, role_room};
        case Outcome::checked_out: return {"Goodbye, " + name, "Checked out at " + uk_time::format_hhmm(r.record.device_ms)};
        case Outcome::already_checked_in:
            // The headline says it; the line under it only adds since when.
            if (r.decision.first_seen_ms) return {name + ": already checked in", "Since " + uk_time::format_hhmm(*r.decision.first_seen_ms)};
            return {name + ": already checked in", ""};
        case Outcome::not_expected:
            // A genuine badge of someone this device does not hold (another event's person) has no name here.
            return {name.empty() ? "Not on this event's list" : name + ": not on this event's list",
                    "Please see the desk. Your attendance is recorded."};
        case Outcome::wrong_room: return {name + ": this is not your room", r.decision.reason};
        case Outcome::outside_window: return {"Check-in is not open", r.decision.reason};
        case Outcome::revoked_badge: return {"This badge was replaced", "Please use your new badge, or see the desk."};
        case Outcome::unknown_badge: return {"Badge not recognised", r.decision.reason + ". Please see the desk."};
        case Outcome::invalid_badge: return {"Badge not recognised", r.decision.reason + ". Please see the desk."};
    }
    return {"", ""};
}

void ResultScreen::draw() {
    const auto& r = model_.last_result();
    if (!r && !model_.not_recorded()) return;
    // A scan that could not be recorded (a full disk) is a refusal: red, the cross, and words
    // saying nothing was recorded. Never a welcome.
    Tone tone = r ? tone_of(r->decision.outcome) : Tone::refused;
    const ImVec2 size = ImGui::GetWindowSize();
    auto* draw = ImGui::GetWindowDrawList();
    draw->AddRectFilled({0, 0}, size, ImGui::ColorConvertFloat4ToU32(style::colour(tone)));
    ImU32 ink = ImGui::ColorConvertFloat4ToU32(style::text_on(tone));
    style::icon(draw, {size.x * 0.5f, size.y * 0.25f}, size.y * 0.12f, tone, ink);

    auto words = r ? result_words(*r) : ResultWords{"Not recorded", *model_.not_recorded()};
    ImGui::SetCursorPosY(size.y * 0.45f);
    style::centred(words.headline, fonts_.huge, style::text_on(tone));
    ImGui::Dummy({0, size.y * 0.03f});
    style::centred(words.detail, fonts_.large, style::text_on(tone));
}

}  // namespace muster::kiosk

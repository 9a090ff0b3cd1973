// A room device's register for the facilitator: who is in (and since when), who is
// expected and not here yet, who is here but not on this room's list.
#include "screen_style.hpp"
#include "screens.hpp"

#include <algorithm>

namespace muster::kiosk {

void RoomRegisterPanel::draw() {
    auto rows = model_.room_register();
    std::size_t in = 0, expected = 0;
    for (const auto& r : rows) {
        expected += r.expected;
        in += r.expected && !r.time.empty();
    }
    ImGui::PushFont(fonts_.body);
    ImGui::TextColored(style::text, "Room register: %zu of %zu here", in, expected);
    ImGui::Separator();
    auto section = [&](const char* title, auto keep, ImVec4 colour) {
        if (std::none_of(rows.begin(), rows.end(), keep)) return;
        ImGui::TextColored(style::muted, "%s", title);
        for (const auto& r : rows)
            if (keep(r)) ImGui::TextColored(colour, "  %s  %s", r.time.empty() ? "--:--" : r.time.c_str(), r.public_name.c_str());
    };
    // The long list (who has not come yet) goes last, so the short ones that need the
    // facilitator's eye are never scrolled out of sight.
    section("In", [](const RoomRegisterRow& r) { return r.expected && !r.time.empty(); }, style::text);
    section("(!) Here, not on this room's list", [](const RoomRegisterRow& r) { return !r.expected; }, style::attention);
    section("Expected, not here yet", [](const RoomRegisterRow& r) { return r.expected && r.time.empty(); }, style::muted);
    ImGui::PopFont();
}

}  // namespace muster::kiosk

// The staff screen behind the PIN: counts, session and entry/exit, a manual check-in with
// a reason, void the last scan, the outbox of records not yet sent, back and quit.
#include "screen_style.hpp"
#include "screens.hpp"

#include "muster/time/uk_time.hpp"

#include <cstring>

namespace muster::kiosk {

void StaffScreen::draw() {
    const ImVec2 size = ImGui::GetWindowSize();
    auto counts = model_.counts();
    ImGui::PushFont(fonts_.body);
    ImGui::SetCursorPos({size.x * 0.03f, size.y * 0.03f});
    ImGui::BeginGroup();
    ImGui::PushFont(fonts_.large);
    ImGui::TextColored(style::text, "%zu checked in of %zu expected", counts.checked_in, counts.expected);
    ImGui::PopFont();
    ImGui::TextColored(counts.unsynced ? style::attention : style::muted, "Scans not yet sent to the hub: %zu%s",
                       counts.unsynced, counts.rejected ? " (some refused by the hub: see the desk)" : "");
    if (auto sync = model_.sync_status()) {
        // Offline is normal at a venue; it is shown, never in the way of scanning.
        bool trouble = !sync->online || sync->revoked || sync->clock_flagged || sync->rejected > 0;
        // Wrapped: an error from the network can be long, and must not run off the screen.
        ImGui::PushTextWrapPos(size.x * 0.94f);
        ImGui::TextColored(trouble ? style::attention : style::muted, "Hub sync: %s", describe(*sync).c_str());
        ImGui::PopTextWrapPos();
    } else {
        ImGui::TextColored(style::muted, "Hub sync: off (no server in the device file)");
    }
    ImGui::Separator();
    draw_sessions();
    ImGui::Separator();
    draw_manual_check_in();
    ImGui::Separator();
    draw_outbox();
    ImGui::EndGroup();

    ImGui::SetCursorPos({size.x * 0.03f, size.y * 0.9f});
    if (ImGui::Button("Back to the kiosk", {size.x * 0.2f, size.y * 0.07f})) model_.close_staff();
    ImGui::SameLine();
    ImGui::SetCursorPosX(size.x * 0.85f);
    if (ImGui::Button("Quit", {size.x * 0.12f, size.y * 0.07f})) model_.request_quit();
    ImGui::PopFont();
}

void StaffScreen::draw_sessions() {
    auto& station = model_.station();
    ImGui::TextUnformatted("Session:");
    for (const auto& s : station.event().sessions) {
        ImGui::SameLine();
        bool current = s.id == station.desk().setup().session_id;
        std::string label = s.name + " " + uk_time::format_hhmm(s.starts_ms) + (current ? " (now)" : "");
        if (ImGui::Button(label.c_str()) && !current) model_.switch_session(s.id);
    }
    ImGui::SameLine();
    if (ImGui::Button(station.desk().setup().direction == Direction::entry ? "Switch to check-out" : "Switch to check-in"))
        model_.toggle_direction();
}

void StaffScreen::draw_manual_check_in() {
    const ImVec2 size = ImGui::GetWindowSize();
    ImGui::TextUnformatted("Your name (for the record):");
    ImGui::SameLine();
    ImGui::SetNextItemWidth(size.x * 0.25f);
    ImGui::InputText("##staff", staff_name_, sizeof staff_name_);
    ImGui::TextUnformatted("Reason:");
    ImGui::SameLine();
    ImGui::SetNextItemWidth(size.x * 0.5f);
    ImGui::InputText("##reason", reason_, sizeof reason_);

    ImGui::TextUnformatted("Find by name or full TRN:");
    ImGui::SameLine();
    ImGui::SetNextItemWidth(size.x * 0.3f);
    ImGui::InputText("##search", search_, sizeof search_);
    if (std::strlen(search_) >= 2) {
        // Full names: staff only, behind the PIN. A TRN is found by its hash (typed in full)
        // and never shown: the device does not hold it (docs/privacy.md).
        for (const auto& p : model_.search(search_)) {
            std::string line = p.full_name() + "  " + std::string(label(p.role));
            ImGui::PushID(static_cast<int>(p.id));
            if (ImGui::Button("Check in")) model_.manual_check_in(p.id, reason_, staff_name_);
            ImGui::SameLine();
            ImGui::TextUnformatted(line.c_str());
            ImGui::PopID();
        }
    }
    ImGui::Separator();
    if (ImGui::Button("Void the last scan")) model_.void_last(reason_, staff_name_);
    if (!model_.staff_message().empty()) ImGui::TextColored(style::attention, "%s", model_.staff_message().c_str());
}

void StaffScreen::draw_outbox() {
    // What this device holds that the hub has not acknowledged yet.
    const ImVec2 size = ImGui::GetWindowSize();
    ImGui::TextColored(style::muted, "Waiting to be sent (newest first):");
    ImGui::BeginChild("outbox", {size.x * 0.94f, size.y * 0.2f}, true);
    for (const auto& row : model_.unsynced(50)) {
        ImGui::Text("%s  %-28s %-22s %.8s", row.time.c_str(), row.what.c_str(), row.who.c_str(), row.uuid.c_str());
        if (row.attempts > 0 || !row.problem.empty()) {
            ImGui::SameLine();
            ImGui::TextColored(style::attention, "tried %d times %s", row.attempts, row.problem.c_str());
        }
    }
    ImGui::EndChild();
}

}  // namespace muster::kiosk

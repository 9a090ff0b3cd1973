// Staff screens behind the PIN: counts, search and manual check-in with a reason, void the
// last scan, switch session and entry/exit, the queue of unsynced scans, quit.
#include "screen_style.hpp"
#include "screens.hpp"

#include "muster/time/uk_time.hpp"

#include <cstring>

namespace muster::kiosk {

void draw_staff_pin(KioskModel& model, const Fonts& fonts, StaffForm& form) {
    const ImVec2 size = ImGui::GetWindowSize();
    ImGui::SetCursorPosY(size.y * 0.2f);
    style::centred("Staff PIN", fonts.large, style::text);
    ImGui::PushFont(fonts.large);
    ImGui::SetCursorPosX(size.x * 0.35f);
    ImGui::SetNextItemWidth(size.x * 0.3f);
    if (ImGui::IsWindowAppearing()) ImGui::SetKeyboardFocusHere();
    bool submit = ImGui::InputText("##pin", form.pin, sizeof form.pin,
                                   ImGuiInputTextFlags_Password | ImGuiInputTextFlags_CharsDecimal |
                                       ImGuiInputTextFlags_EnterReturnsTrue);
    // An on-screen keypad for touch screens.
    const char* keys[] = {"1", "2", "3", "4", "5", "6", "7", "8", "9", "Clear", "0", "OK"};
    float key = size.y * 0.09f;
    for (int i = 0; i < 12; ++i) {
        if (i % 3 == 0) ImGui::SetCursorPosX(size.x * 0.5f - key * 1.6f);
        else ImGui::SameLine();
        if (ImGui::Button(keys[i], {key, key})) {
            std::string k = keys[i];
            if (k == "Clear") form.pin[0] = 0;
            else if (k == "OK") submit = true;
            else if (std::strlen(form.pin) + 1 < sizeof form.pin) std::strcat(form.pin, keys[i]);
        }
    }
    ImGui::PopFont();
    if (submit) {
        model.enter_pin(form.pin);
        form.pin[0] = 0;
    }
    ImGui::PushFont(fonts.body);
    if (!model.staff_message().empty()) style::centred(model.staff_message(), fonts.body, style::attention);
    ImGui::SetCursorPos({size.x * 0.03f, size.y * 0.9f});
    if (ImGui::Button("Cancel", {size.x * 0.12f, size.y * 0.07f})) model.close_staff();
    ImGui::PopFont();
}

void draw_staff(KioskModel& model, const Fonts& fonts, StaffForm& form) {
    const ImVec2 size = ImGui::GetWindowSize();
    auto& station = model.station();
    auto counts = model.counts();
    ImGui::PushFont(fonts.body);
    ImGui::SetCursorPos({size.x * 0.03f, size.y * 0.03f});
    ImGui::BeginGroup();
    ImGui::PushFont(fonts.large);
    ImGui::TextColored(style::text, "%zu checked in of %zu expected", counts.checked_in, counts.expected);
    ImGui::PopFont();
    ImGui::TextColored(counts.unsynced ? style::attention : style::muted, "Scans not yet sent to the hub: %zu%s",
                       counts.unsynced, counts.rejected ? " (some refused by the hub: see the desk)" : "");

    ImGui::Separator();
    ImGui::TextUnformatted("Session:");
    for (const auto& s : station.event().sessions) {
        ImGui::SameLine();
        bool current = s.id == station.desk().setup().session_id;
        std::string label = s.name + " " + uk_time::format_hhmm(s.starts_ms) + (current ? " (now)" : "");
        if (ImGui::Button(label.c_str()) && !current) model.switch_session(s.id);
    }
    ImGui::SameLine();
    if (ImGui::Button(station.desk().setup().direction == Direction::entry ? "Switch to check-out" : "Switch to check-in"))
        model.toggle_direction();

    ImGui::Separator();
    ImGui::TextUnformatted("Your name (for the record):");
    ImGui::SameLine();
    ImGui::SetNextItemWidth(size.x * 0.25f);
    ImGui::InputText("##staff", form.staff_name, sizeof form.staff_name);
    ImGui::TextUnformatted("Reason:");
    ImGui::SameLine();
    ImGui::SetNextItemWidth(size.x * 0.5f);
    ImGui::InputText("##reason", form.reason, sizeof form.reason);

    ImGui::TextUnformatted("Find by name or TRN:");
    ImGui::SameLine();
    ImGui::SetNextItemWidth(size.x * 0.3f);
    ImGui::InputText("##search", form.search, sizeof form.search);
    if (std::strlen(form.search) >= 2) {
        for (const auto& p : model.search(form.search)) {
            std::string line = p.full_name() + "  " + std::string(label(p.role)) + (p.trn ? "  TRN " + *p.trn : "");
            ImGui::PushID(static_cast<int>(p.id));
            if (ImGui::Button("Check in")) model.manual_check_in(p.id, form.reason, form.staff_name);
            ImGui::SameLine();
            ImGui::TextUnformatted(line.c_str());
            ImGui::PopID();
        }
    }
    ImGui::Separator();
    if (ImGui::Button("Void the last scan")) model.void_last(form.reason, form.staff_name);
    if (!model.staff_message().empty()) ImGui::TextColored(style::attention, "%s", model.staff_message().c_str());

    // The outbox: what this device holds that the hub has not acknowledged yet.
    ImGui::Separator();
    ImGui::TextColored(style::muted, "Waiting to be sent (newest first):");
    ImGui::BeginChild("outbox", {size.x * 0.94f, size.y * 0.2f}, true);
    for (const auto& row : model.unsynced(50)) {
        ImGui::Text("%s  %-28s %-22s %.8s", row.time.c_str(), row.what.c_str(), row.who.c_str(), row.uuid.c_str());
        if (row.attempts > 0 || !row.problem.empty()) {
            ImGui::SameLine();
            ImGui::TextColored(style::attention, "tried %d times %s", row.attempts, row.problem.c_str());
        }
    }
    ImGui::EndChild();
    ImGui::EndGroup();

    ImGui::SetCursorPos({size.x * 0.03f, size.y * 0.9f});
    if (ImGui::Button("Back to the kiosk", {size.x * 0.2f, size.y * 0.07f})) model.close_staff();
    ImGui::SameLine();
    ImGui::SetCursorPosX(size.x * 0.85f);
    if (ImGui::Button("Quit", {size.x * 0.12f, size.y * 0.07f})) model.request_quit();
    ImGui::PopFont();
}

}  // namespace muster::kiosk

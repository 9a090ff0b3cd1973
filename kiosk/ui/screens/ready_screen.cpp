// The ready screen: what the event is, the clock, "scan your badge", and which inputs are
// live, in words. A room device also shows the room's register to the facilitator.
#include "screen_style.hpp"
#include "screens.hpp"

#include "muster/time/uk_time.hpp"

#include <cctype>

namespace muster::kiosk {

void ReadyScreen::draw() {
    auto& station = model_.station();
    const auto& session = station.session();
    const auto& setup = station.desk().setup();
    const ImVec2 size = ImGui::GetWindowSize();
    bool room_mode = model_.config().mode == DeviceMode::room;

    ImGui::SetCursorPos({size.x * 0.03f, size.y * 0.03f});
    ImGui::PushFont(fonts_.large);
    ImGui::PushTextWrapPos(size.x * 0.82f);  // long titles wrap clear of the clock
    ImGui::TextColored(style::text, "%s", station.event().title.c_str());
    ImGui::PopTextWrapPos();
    ImGui::PopFont();
    ImGui::SetCursorPosX(size.x * 0.03f);
    ImGui::PushFont(fonts_.body);
    std::string where = session.name + "  " + uk_time::format_hhmm(session.starts_ms) + "-" +
                        uk_time::format_hhmm(session.ends_ms) + "   " + model_.config().name +
                        (setup.direction == Direction::exit ? "   CHECK-OUT" : "");
    ImGui::TextColored(style::muted, "%s", where.c_str());
    ImGui::PopFont();

    ImGui::PushFont(fonts_.large);
    std::string clock = uk_time::format_hhmm(uk_time::now_ms());
    ImGui::SetCursorPos({size.x * 0.97f - ImGui::CalcTextSize(clock.c_str()).x, size.y * 0.03f});
    ImGui::TextColored(style::text, "%s", clock.c_str());
    ImGui::PopFont();

    if (station.roster_removed()) {
        // The event is over and the roster purged (docs/privacy.md): nothing to scan against,
        // and a scan is not recorded. Staff can still open the staff screen (outbox, quit).
        ImGui::SetCursorPosY(size.y * 0.36f);
        ImGui::BeginChild("call", {size.x, size.y * 0.4f}, false, ImGuiWindowFlags_NoBackground | ImGuiWindowFlags_NoInputs);
        style::centred("This kiosk's event is over", fonts_.huge, style::text);
        style::centred("Its roster has been removed. Scans are not recorded.", fonts_.body, style::muted);
        ImGui::EndChild();
        ImGui::PushFont(fonts_.body);
        ImGui::SetCursorPos({size.x * 0.88f, size.y * 0.89f});
        if (ImGui::Button("Staff", {size.x * 0.09f, size.y * 0.07f})) model_.open_staff();
        ImGui::PopFont();
        return;
    }

    float column = room_mode ? size.x * 0.6f : size.x;
    ImGui::SetCursorPosY(size.y * 0.36f);
    ImGui::BeginChild("call", {column, size.y * 0.4f}, false, ImGuiWindowFlags_NoBackground | ImGuiWindowFlags_NoInputs);
    style::centred(setup.direction == Direction::exit ? "Scan your badge to check out" : "Scan your badge", fonts_.huge,
                   style::text);
    style::centred("Show the QR code, or tap your card on the reader", fonts_.body, style::muted);
    ImGui::EndChild();

    if (room_mode) {
        ImGui::SetCursorPos({size.x * 0.62f, size.y * 0.18f});
        ImGui::BeginChild("register", {size.x * 0.35f, size.y * 0.62f}, true);
        register_.draw();
        ImGui::EndChild();
    }

    draw_inputs();
    ImGui::PushFont(fonts_.body);
    ImGui::SetCursorPos({size.x * 0.88f, size.y * 0.89f});
    if (ImGui::Button("Staff", {size.x * 0.09f, size.y * 0.07f})) model_.open_staff();
    ImGui::PopFont();
}

void ReadyScreen::draw_inputs() {
    const ImVec2 size = ImGui::GetWindowSize();
    // Inputs, in words: "Scanner: ready", or the source's own sentence when it is not
    // ("Camera unavailable (...), retrying", status_line), so staff see a pulled plug from
    // across the hall.
    ImGui::SetCursorPos({size.x * 0.03f, size.y * 0.88f});
    ImGui::PushFont(fonts_.body);
    ImGui::PushTextWrapPos(size.x * 0.85f);
    std::string live, down;
    for (const auto& [kind, status] : model_.input_statuses()) {
        if (kind == InputKind::scripted) continue;  // automation, not a device people use
        std::string name = to_string(kind);
        name[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(name[0])));
        if (status.state == SourceState::ready) {
            live += (live.empty() ? "" : "     ") + name + ": ready";
        } else {
            down += (down.empty() ? "" : "   ") + status_line(status);
        }
    }
    if (!live.empty()) ImGui::TextColored(style::muted, "%s", live.c_str());
    if (!down.empty()) ImGui::TextColored(style::attention, "(!) %s", down.c_str());
    ImGui::PopTextWrapPos();
    ImGui::PopFont();
}

}  // namespace muster::kiosk

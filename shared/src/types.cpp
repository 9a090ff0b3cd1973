#include "muster/model/types.hpp"

#include "muster/util/text.hpp"

#include <array>
#include <utility>

namespace muster {
namespace {

template <class E, std::size_t N>
std::optional<E> find_code(const std::array<std::pair<E, std::string_view>, N>& table, std::string_view s) {
    for (auto& [value, code] : table)
        if (code == s) return value;
    return std::nullopt;
}

template <class E, std::size_t N>
std::string_view code_of(const std::array<std::pair<E, std::string_view>, N>& table, E e) {
    for (auto& [value, code] : table)
        if (value == e) return code;
    return "?";
}

constexpr std::array<std::pair<Role, std::string_view>, 7> role_codes{{
    {Role::ect, "ect"}, {Role::mentor, "mentor"}, {Role::induction_tutor, "induction_tutor"},
    {Role::facilitator, "facilitator"}, {Role::npq, "npq"}, {Role::hub_staff, "hub_staff"}, {Role::guest, "guest"}}};
constexpr std::array<std::pair<EventKind, std::string_view>, 8> kind_codes{{
    {EventKind::conference, "conference"}, {EventKind::clinic, "clinic"},
    {EventKind::mentor_conference, "mentor_conference"}, {EventKind::mentor_clinic, "mentor_clinic"},
    {EventKind::coaching_on_coaching, "coaching_on_coaching"}, {EventKind::npq_event, "npq_event"},
    {EventKind::orientation, "orientation"}, {EventKind::other, "other"}}};
constexpr std::array<std::pair<Direction, std::string_view>, 2> direction_codes{{
    {Direction::entry, "entry"}, {Direction::exit, "exit"}}};
constexpr std::array<std::pair<Method, std::string_view>, 3> method_codes{{
    {Method::qr, "qr"}, {Method::nfc, "nfc"}, {Method::manual, "manual"}}};
constexpr std::array<std::pair<DeviceMode, std::string_view>, 2> mode_codes{{
    {DeviceMode::entrance, "entrance"}, {DeviceMode::room, "room"}}};
constexpr std::array<std::pair<Outcome, std::string_view>, 9> outcome_codes{{
    {Outcome::checked_in, "checked_in"}, {Outcome::checked_out, "checked_out"},
    {Outcome::already_checked_in, "already_checked_in"}, {Outcome::not_expected, "not_expected"},
    {Outcome::unknown_badge, "unknown_badge"}, {Outcome::invalid_badge, "invalid_badge"},
    {Outcome::revoked_badge, "revoked_badge"}, {Outcome::outside_window, "outside_window"},
    {Outcome::wrong_room, "wrong_room"}}};
constexpr std::array<std::pair<AttendanceStatus, std::string_view>, 7> status_codes{{
    {AttendanceStatus::present, "present"}, {AttendanceStatus::late, "late"},
    {AttendanceStatus::left_early, "left_early"}, {AttendanceStatus::absent, "absent"},
    {AttendanceStatus::excused, "excused"}, {AttendanceStatus::caught_up, "caught_up"},
    {AttendanceStatus::alternate, "alternate"}}};
constexpr std::array<std::pair<SatisfactionAnswerKind, std::string_view>, 3> answer_codes{{
    {SatisfactionAnswerKind::agree, "agree"}, {SatisfactionAnswerKind::not_sure, "not_sure"},
    {SatisfactionAnswerKind::disagree, "disagree"}}};

// Other spellings of the roles that rosters use (normalised: lower case, single spaces).
constexpr std::array<std::pair<std::string_view, Role>, 19> role_spellings_table{{
    {"early career teacher", Role::ect}, {"ect1", Role::ect}, {"ect2", Role::ect}, {"ecf", Role::ect},
    {"ect mentor", Role::mentor}, {"mentor teacher", Role::mentor},
    {"sit", Role::induction_tutor}, {"school induction tutor", Role::induction_tutor},
    {"induction coordinator", Role::induction_tutor},
    {"visiting fellow", Role::facilitator}, {"lead facilitator", Role::facilitator},
    {"co facilitator", Role::facilitator}, {"trainer", Role::facilitator},
    {"npq participant", Role::npq}, {"npq candidate", Role::npq},
    {"staff", Role::hub_staff}, {"hub", Role::hub_staff}, {"hub team", Role::hub_staff},
    {"visitor", Role::guest}}};

template <class E, std::size_t N>
constexpr std::array<E, N> values_of(const std::array<std::pair<E, std::string_view>, N>& table) {
    std::array<E, N> out{};
    for (std::size_t i = 0; i < N; ++i) out[i] = table[i].first;
    return out;
}
constexpr auto all_outcome_values = values_of(outcome_codes);
constexpr auto all_role_values = values_of(role_codes);
constexpr auto all_status_values = values_of(status_codes);

}  // namespace

std::string_view to_string(Role r) { return code_of(role_codes, r); }
std::string_view to_string(EventKind k) { return code_of(kind_codes, k); }
std::string_view to_string(Direction d) { return code_of(direction_codes, d); }
std::string_view to_string(Method m) { return code_of(method_codes, m); }
std::string_view to_string(DeviceMode m) { return code_of(mode_codes, m); }
std::string_view to_string(Outcome o) { return code_of(outcome_codes, o); }
std::string_view to_string(AttendanceStatus s) { return code_of(status_codes, s); }
std::string_view to_string(SatisfactionAnswerKind a) { return code_of(answer_codes, a); }

std::string_view label(SatisfactionAnswerKind a) {
    switch (a) {
        case SatisfactionAnswerKind::agree: return "Agree";
        case SatisfactionAnswerKind::not_sure: return "Not sure";
        case SatisfactionAnswerKind::disagree: return "Disagree";
    }
    return "?";
}

std::string_view label(Role r) {
    switch (r) {
        case Role::ect: return "Early career teacher";
        case Role::mentor: return "Mentor";
        case Role::induction_tutor: return "Induction tutor";
        case Role::facilitator: return "Facilitator";
        case Role::npq: return "NPQ participant";
        case Role::hub_staff: return "Hub staff";
        case Role::guest: return "Guest";
    }
    return "?";
}

std::string_view label(AttendanceStatus s) {
    switch (s) {
        case AttendanceStatus::present: return "Present";
        case AttendanceStatus::late: return "Late";
        case AttendanceStatus::left_early: return "Left early";
        case AttendanceStatus::absent: return "Absent";
        case AttendanceStatus::excused: return "Excused";
        case AttendanceStatus::caught_up: return "Caught up (recording)";
        case AttendanceStatus::alternate: return "Attended alternate event";
    }
    return "?";
}

std::optional<Role> parse_role(std::string_view raw) {
    std::string s = text::normalise_key(raw);
    if (auto r = find_code(role_codes, text::replace_all(s, " ", "_"))) return r;
    for (auto& [spelling, role] : role_spellings_table)
        if (s == spelling) return role;
    return std::nullopt;
}

std::optional<EventKind> parse_event_kind(std::string_view s) { return find_code(kind_codes, s); }
std::optional<Direction> parse_direction(std::string_view s) { return find_code(direction_codes, s); }
std::optional<Method> parse_method(std::string_view s) { return find_code(method_codes, s); }
std::optional<DeviceMode> parse_device_mode(std::string_view s) { return find_code(mode_codes, s); }
std::optional<Outcome> parse_outcome(std::string_view s) { return find_code(outcome_codes, s); }

std::span<const Outcome> all_outcomes() { return all_outcome_values; }
std::span<const Role> all_roles() { return all_role_values; }
std::span<const AttendanceStatus> all_attendance_statuses() { return all_status_values; }

std::vector<std::string_view> role_spellings(Role r) {
    std::vector<std::string_view> out;
    for (auto& [spelling, role] : role_spellings_table)
        if (role == r) out.push_back(spelling);
    return out;
}

std::optional<AttendanceStatus> parse_attendance_status(std::string_view s) { return find_code(status_codes, s); }
std::optional<SatisfactionAnswerKind> parse_satisfaction_answer(std::string_view s) { return find_code(answer_codes, s); }

std::string Participant::public_name() const {
    std::string first = preferred_name && !preferred_name->empty() ? *preferred_name : first_name;
    std::string initial = text::first_utf8_char(last_name);
    return initial.empty() ? first : first + " " + initial + ".";
}

std::string Participant::full_name() const { return first_name + " " + last_name; }

}  // namespace muster

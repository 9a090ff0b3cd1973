#include "muster/model/field_limits.hpp"

#include "muster/util/text.hpp"
#include "muster/util/uuid.hpp"

namespace muster::limits {
namespace {

std::size_t utf8_chars(std::string_view s) {
    std::size_t n = 0;
    for (char c : s)
        if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;  // count lead bytes only
    return n;
}

// Prefixes a problem with the field's name.
std::optional<std::string> in_field(std::string_view field, std::string_view value, std::size_t max_chars) {
    if (auto p = text_problem(value, max_chars)) return std::string(field) + ": " + *p;
    return std::nullopt;
}

std::optional<std::string> in_optional_field(std::string_view field, const std::optional<std::string>& value,
                                             std::size_t max_chars) {
    return value ? in_field(field, std::string_view(*value), max_chars) : std::nullopt;
}

std::optional<std::string> uuid_problem(std::string_view field, std::string_view value) {
    if (is_uuid(value)) return std::nullopt;
    return std::string(field) + ": not a UUID";
}

}  // namespace

std::optional<std::string> text_problem(std::string_view text, std::size_t max_chars) {
    // Checked before the length, so a huge invalid field is not walked twice.
    if (!text::is_valid_utf8(text)) return "is not UTF-8";
    for (char c : text) {
        auto u = static_cast<unsigned char>(c);
        if (u < 0x20 || u == 0x7F) return "holds a control character";
    }
    if (text.size() > max_chars && utf8_chars(text) > max_chars)
        return "longer than " + std::to_string(max_chars) + " characters";
    return std::nullopt;
}

std::optional<std::string> problem_in(const CheckIn& c) {
    if (auto p = uuid_problem("uuid", c.uuid)) return p;
    if (auto p = in_field("device_id", c.device_id, device_id_chars)) return p;
    if (auto p = in_field("reason", c.reason, reason_chars)) return p;
    if (auto p = in_optional_field("staff", c.staff, staff_chars)) return p;
    return std::nullopt;
}

std::optional<std::string> problem_in(const Correction& c) {
    if (auto p = uuid_problem("uuid", c.uuid)) return p;
    if (c.target_uuid)
        if (auto p = uuid_problem("target_uuid", *c.target_uuid)) return p;
    if (auto p = in_field("reason", c.reason, reason_chars)) return p;
    if (auto p = in_field("author", c.author, staff_chars)) return p;
    if (auto p = in_optional_field("device_id", c.device_id, device_id_chars)) return p;
    return std::nullopt;
}

std::optional<std::string> problem_in(const Participant& p) {
    if (auto e = in_field("first_name", p.first_name, name_chars)) return e;
    if (auto e = in_field("last_name", p.last_name, name_chars)) return e;
    if (auto e = in_optional_field("preferred_name", p.preferred_name, name_chars)) return e;
    if (auto e = in_optional_field("email", p.email, email_chars)) return e;
    if (auto e = in_optional_field("school_name", p.school_name, school_chars)) return e;
    if (auto e = in_optional_field("programme", p.programme, label_chars)) return e;
    if (auto e = in_optional_field("lead_provider", p.lead_provider, label_chars)) return e;
    if (auto e = in_optional_field("delivery_partner", p.delivery_partner, label_chars)) return e;
    return std::nullopt;
}

}  // namespace muster::limits

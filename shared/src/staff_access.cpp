#include "muster/staff/staff_access.hpp"

#include "muster/register/register_access.hpp"



namespace muster::staff {
namespace {

// Its own label: a register session's token is never a staff session's, even under one value.
constexpr std::string_view csrf_label = "muster staff csrf v1";

}  // namespace

TimeMs lock_after(int failures) noexcept {
    if (failures < failures_before_lock) return 0;
    TimeMs lock = first_lock_ms;
    for (int i = failures_before_lock; i < failures && lock < longest_lock_ms; ++i) lock *= 2;
    return lock < longest_lock_ms ? lock : longest_lock_ms;
}

std::string set_cookie_header(std::string_view value, TimeMs now, TimeMs expires) {
    return register_access::set_cookie_header(cookie_name, cookie_path, value, now, expires);
}

std::string clear_cookie_header() { return register_access::clear_cookie_header(cookie_name, cookie_path); }

std::optional<std::string_view> cookie_value_in(std::string_view header) noexcept {
    return register_access::cookie_value_in(cookie_name, header);
}

std::string csrf_token_for(std::string_view cookie_value) { return register_access::csrf_token_for(csrf_label, cookie_value); }

bool csrf_matches(std::string_view cookie_value, std::string_view presented) noexcept {
    return register_access::csrf_matches(csrf_label, cookie_value, presented);
}

}  // namespace muster::staff

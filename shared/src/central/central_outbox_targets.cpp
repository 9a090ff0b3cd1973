// The outbox's targets and the names of its enums (central_outbox.hpp): the server's file
// registers its [[central.target]] entries at start; sign-off and amendments queue for the
// active ones.
#include "central_outbox_internal.hpp"
#include "../sql_json.hpp"

#include <array>
#include <stdexcept>
#include <utility>

namespace muster::store {
namespace {

constexpr std::array<std::pair<TargetKind, std::string_view>, 3> kind_names{{
    {TargetKind::https, "https"}, {TargetKind::csv, "csv"}, {TargetKind::evidence_csv, "evidence-csv"}}};
constexpr std::array<std::pair<DeliveryState, std::string_view>, 5> state_names{{
    {DeliveryState::pending, "pending"},
    {DeliveryState::sending, "sending"},
    {DeliveryState::delivered, "delivered"},
    {DeliveryState::rejected, "rejected"},
    {DeliveryState::superseded, "superseded"}}};

template <class E, std::size_t N>
std::string_view name_of(const std::array<std::pair<E, std::string_view>, N>& table, E e) {
    for (const auto& [value, name] : table)
        if (value == e) return name;
    return "?";
}
template <class E, std::size_t N>
std::optional<E> value_of(const std::array<std::pair<E, std::string_view>, N>& table, std::string_view s) {
    for (const auto& [value, name] : table)
        if (name == s) return value;
    return std::nullopt;
}

}  // namespace

std::string_view to_string(TargetKind k) { return name_of(kind_names, k); }
std::optional<TargetKind> parse_target_kind(std::string_view s) { return value_of(kind_names, s); }
std::string_view to_string(DeliveryState s) { return name_of(state_names, s); }
std::optional<DeliveryState> parse_delivery_state(std::string_view s) { return value_of(state_names, s); }

bool valid_target_name(std::string_view name) {
    if (name.empty() || name.size() > 40) return false;
    for (char c : name)
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-')) return false;
    return true;
}

void register_central_targets(db::Database& db, std::span<const CentralTarget> targets, TimeMs now) {
    for (const auto& t : targets)
        if (!valid_target_name(t.name))
            throw std::invalid_argument("central target name: expected 1-40 of a-z, 0-9, _ and -");
    db::Transaction tx(db);
    auto& upsert = db.cached(
        "INSERT INTO central_targets (name, kind, active, added_ms) VALUES (?1, ?2, 1, ?3) "
        "ON CONFLICT (name) DO UPDATE SET kind = excluded.kind, active = 1");
    std::string names;
    for (const auto& t : targets) {
        upsert.bind_all(t.name, to_string(t.kind), now).run();
        // Names are [a-z0-9_-]: safe inside a JSON string without escaping.
        names += (names.empty() ? "\"" : ",\"") + t.name + "\"";
    }
    // A target gone from the file stays on record (what it was sent), inactive.
    auto& rest = db.cached(std::string("UPDATE central_targets SET active = 0 WHERE active <> 0 AND name NOT IN ")
                           + sql_json::texts_in(db, 1));
    rest.bind(1, "[" + names + "]").run();
    tx.commit();
}

std::vector<CentralTarget> active_central_targets(db::Database& db) {
    auto& s = db.cached("SELECT name, kind FROM central_targets WHERE active <> 0 ORDER BY name");
    return s.query_all([](const db::Statement& r) {
        return CentralTarget{r.text(0), parse_target_kind(r.text(1)).value_or(TargetKind::https)};
    });
}

namespace outbox {

std::vector<std::string> active_target_names(db::Database& db) {
    auto& s = db.cached("SELECT name FROM central_targets WHERE active <> 0 ORDER BY name");
    return s.query_all([](const db::Statement& r) { return r.text(0); });
}

}  // namespace outbox
}  // namespace muster::store

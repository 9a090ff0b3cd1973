#pragma once
// JSON in SQL on both engines (docs/scale.md): SQLite's JSON1 functions and PostgreSQL's
// jsonb operators differ, so the few store queries that take a list as one JSON array
// parameter, or read a field of a stored JSON text, build that piece here. Not a public
// header.
#include "muster/db/database.hpp"

#include <string>
#include <string_view>

namespace muster::store::sql_json {

// A subquery listing the integers of the JSON array bound as parameter ?n, for `x IN (...)`.
inline std::string ids_in(const db::Database& db, int n) {
    const std::string p = "?" + std::to_string(n);
    if (db.engine() == db::Engine::postgresql)
        return "(SELECT CAST(v AS BIGINT) FROM jsonb_array_elements_text(CAST(" + p + " AS jsonb)) AS t(v))";
    return "(SELECT value FROM json_each(" + p + "))";
}

// A subquery listing the strings of the JSON array bound as parameter ?n.
inline std::string texts_in(const db::Database& db, int n) {
    const std::string p = "?" + std::to_string(n);
    if (db.engine() == db::Engine::postgresql)
        return "(SELECT v FROM jsonb_array_elements_text(CAST(" + p + " AS jsonb)) AS t(v))";
    return "(SELECT value FROM json_each(" + p + "))";
}

// The text of top-level field `field` ([a-z_], written by the caller) of the JSON object
// stored as text in `column`; NULL when it is missing.
inline std::string text_field(const db::Database& db, std::string_view column, std::string_view field) {
    if (db.engine() == db::Engine::postgresql)
        return "(CAST(" + std::string(column) + " AS jsonb) ->> '" + std::string(field) + "')";
    return "json_extract(" + std::string(column) + ", '$." + std::string(field) + "')";
}

}  // namespace muster::store::sql_json

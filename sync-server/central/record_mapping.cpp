#include "record_mapping.hpp"

#include "muster/util/config_error.hpp"

#include <boost/json.hpp>

#include <fstream>
#include <sstream>
#include <stdexcept>

namespace muster::central {
namespace json = boost::json;

namespace {

bool reserved(std::string_view name) {
    return name == "idempotency_key" || name == "record_id" || name == "version" || name == "correction";
}

}  // namespace

RecordMapping RecordMapping::load(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw ConfigError(file.string() + ": cannot read the mapping file");
    std::ostringstream text;
    text << in.rdbuf();
    return parse(text.str(), file.string());
}

RecordMapping RecordMapping::parse(std::string_view text, const std::string& where) {
    auto fail = [&](const std::string& field, const std::string& what) -> void {
        throw ConfigError(where + ": " + (field.empty() ? "" : field + ": ") + what);
    };
    boost::system::error_code ec;
    json::value doc = json::parse(text, ec);
    if (ec || !doc.is_object()) fail("", "not a JSON object (" + (ec ? ec.message() : std::string("another value")) + ")");
    RecordMapping m;
    m.identity_ = false;
    for (const auto& [key, value] : doc.as_object()) {
        if (key.starts_with("_")) continue;
        if (key == "object") {
            if (!value.is_string() || value.as_string().empty()) fail("object", "must be a name in quotes");
            m.object_ = std::string(value.as_string());
        } else if (key != "fields") {
            fail(std::string(key), "unknown (expected object and fields)");
        }
    }
    const json::value* fields = doc.as_object().if_contains("fields");
    if (!fields || !fields->is_object()) fail("fields", "missing: an object of CRM field → record field");
    for (const auto& [key, value] : fields->as_object()) {
        if (key.starts_with("_")) continue;
        const std::string at = "fields." + std::string(key);
        if (reserved(key)) fail(at, "is always sent by the target: map it under another name");
        Field f;
        f.name = std::string(key);
        if (value.is_string()) {
            f.source = std::string(value.as_string());
        } else if (value.is_object()) {
            const auto& o = value.as_object();
            if (const auto* v = o.if_contains("value")) {
                f.fixed = *v;
            } else {
                const auto* src = o.if_contains("field");
                if (!src || !src->is_string()) fail(at, "needs \"field\" (a record field) or \"value\" (a fixed value)");
                f.source = std::string(src->as_string());
                if (const auto* vs = o.if_contains("values")) {
                    if (!vs->is_object()) fail(at + ".values", "must be an object of record word → CRM word");
                    f.values = vs->as_object();
                }
                if (const auto* d = o.if_contains("default")) f.fallback = *d;
            }
        } else {
            fail(at, "must be a record field name, or an object with \"field\" or \"value\"");
        }
        if (!f.fixed && f.source.empty()) fail(at, "names no record field");
        m.fields_.push_back(std::move(f));
    }
    return m;
}

json::object RecordMapping::apply(std::string_view record_json) const {
    boost::system::error_code ec;
    json::value record = json::parse(record_json, ec);
    if (ec || !record.is_object()) throw std::runtime_error("the stored record is not a JSON object");
    if (identity_) return std::move(record.as_object());
    const auto& r = record.as_object();
    json::object out;
    for (const auto& f : fields_) {
        if (f.fixed) {
            out[f.name] = *f.fixed;
            continue;
        }
        const json::value* v = r.if_contains(f.source);
        if (!v) throw std::runtime_error("mapping field " + f.name + ": the record has no field " + f.source);
        if (!f.values.empty() && v->is_string()) {
            if (const auto* word = f.values.if_contains(v->as_string())) out[f.name] = *word;
            else out[f.name] = f.fallback ? *f.fallback : *v;
        } else {
            out[f.name] = *v;
        }
    }
    return out;
}

}  // namespace muster::central

#pragma once
// The https target's mapping file (docs/central.md, "Mapping file";
// device-config/central-mapping.insightly.json): which field of the attendance record fills
// each field the CRM wants.
//   {"object": "Attendance_Record__c",            optional: sent as the request's "object"
//    "fields": {"TRN__c": "trn",                  a record field, as it is (null stays null)
//               "STATUS__c": {"field": "status", "values": {"present": "Attended"}, "default": "Other"},
//               "SOURCE__c": {"value": "Muster hub"}}}   a fixed value
// Keys starting with '_' are notes. No mapping: the record's own JSON is sent. Either way the
// target adds idempotency_key, record_id, version and correction to each record, so a
// mapping may not name those.
#include <boost/json/object.hpp>

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace muster::central {

class RecordMapping {
public:
    // The record as it is.
    RecordMapping() = default;
    // Throws muster::ConfigError "<file>: fields.X: ..." for a file that is not a mapping.
    static RecordMapping load(const std::filesystem::path& file);
    static RecordMapping parse(std::string_view json, const std::string& where);

    const std::optional<std::string>& object() const { return object_; }
    // The CRM's fields for one record (its stored JSON). Throws std::runtime_error when the
    // payload is not a JSON object or a mapped field is absent from it (without its value).
    boost::json::object apply(std::string_view record_json) const;

private:
    struct Field {
        std::string name;                 // the CRM's
        std::string source;               // the record's ("" for a fixed value)
        boost::json::object values;       // word translations (empty: as it is)
        std::optional<boost::json::value> fallback;  // a word not in values ("default")
        std::optional<boost::json::value> fixed;     // {"value": ...}
    };
    bool identity_ = true;
    std::optional<std::string> object_;
    std::vector<Field> fields_;
};

}  // namespace muster::central

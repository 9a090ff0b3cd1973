#pragma once
// Programme templates: the events each programme expects, with the titles of the ECT
// programme handbook (from September 2025), the mentor training and an NPQ outline.
#include "muster/model/types.hpp"

#include <string_view>
#include <vector>

namespace muster::programme {

struct SessionTemplate {
    std::string_view name;
    std::string_view start;  // UK local "HH:MM"
    std::string_view end;
};

struct ItemTemplate {
    std::string_view code;  // "conference-1"
    EventKind kind;
    std::string_view title;
    std::vector<SessionTemplate> sessions;
    bool optional = false;  // e.g. coaching-on-coaching
};

struct ProgrammeTemplate {
    std::string_view code;  // "ect-y1"
    std::string_view name;
    Role audience;
    std::optional<int> programme_year;  // ECT year the events belong to
    std::vector<ItemTemplate> items;

    const ItemTemplate* find_item(std::string_view item_code) const;
};

const std::vector<ProgrammeTemplate>& all_templates();
const ProgrammeTemplate* find_template(std::string_view code);

// Is this participant expected at events of this programme for this cohort?
bool is_audience(const ProgrammeTemplate& t, const Participant& p, int cohort);

}  // namespace muster::programme

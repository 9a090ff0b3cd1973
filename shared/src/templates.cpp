#include "muster/programme/templates.hpp"

namespace muster::programme {
namespace {

const std::vector<SessionTemplate> full_day = {{"Morning", "09:30", "12:30"}, {"Afternoon", "13:15", "16:00"}};
const std::vector<SessionTemplate> twilight = {{"Clinic", "16:00", "17:30"}};
const std::vector<SessionTemplate> one_hour = {{"Session", "16:00", "17:00"}};

}  // namespace

const ItemTemplate* ProgrammeTemplate::find_item(std::string_view item_code) const {
    for (const auto& item : items)
        if (item.code == item_code) return &item;
    return nullptr;
}

const std::vector<ProgrammeTemplate>& all_templates() {
    static const std::vector<ProgrammeTemplate> templates = {
        {"ect-y1", "ECT programme, year 1", Role::ect, 1,
         {{"orientation", EventKind::orientation, "ECT orientation", twilight},
          {"conference-1", EventKind::conference, "Conference 1: Enabling conditions for the ECT programme", full_day},
          {"conference-2", EventKind::conference, "Conference 2: Adaptive teaching", full_day},
          {"clinic-1", EventKind::clinic, "Clinic 1: Maintaining high expectations", twilight},
          {"clinic-2", EventKind::clinic, "Clinic 2: Working together", twilight},
          {"clinic-3", EventKind::clinic, "Clinic 3: Effective feedback", twilight}}},
        {"ect-y2", "ECT programme, year 2", Role::ect, 2,
         {{"conference-3", EventKind::conference, "Conference 3: Supporting pupil success in all subjects", full_day},
          {"clinic-4", EventKind::clinic, "Clinic 4: Helping pupils to think hard", twilight},
          {"clinic-5", EventKind::clinic, "Clinic 5: Oracy", twilight},
          {"clinic-6", EventKind::clinic, "Clinic 6: Supporting all pupils", twilight}}},
        {"mentor", "Mentor training", Role::mentor, std::nullopt,
         {{"conference-1", EventKind::mentor_conference, "Mentor conference 1: Developing high-quality instructional coaching", full_day},
          {"conference-2", EventKind::mentor_conference, "Mentor conference 2: Adapting the instructional coaching model to ECT expertise", full_day},
          {"clinic", EventKind::mentor_clinic, "Mentor clinic", twilight},
          {"coaching-on-coaching", EventKind::coaching_on_coaching, "Coaching on coaching", one_hour, true}}},
        {"npq", "National professional qualification", Role::npq, std::nullopt,
         {{"launch-conference", EventKind::npq_event, "NPQ launch conference", full_day},
          {"clinic-1", EventKind::npq_event, "NPQ clinic 1", twilight},
          {"clinic-2", EventKind::npq_event, "NPQ clinic 2", twilight},
          {"community-1", EventKind::npq_event, "NPQ community event", twilight},
          {"final-conference", EventKind::npq_event, "NPQ final conference", full_day}}},
    };
    return templates;
}

const ProgrammeTemplate* find_template(std::string_view code) {
    for (const auto& t : all_templates())
        if (t.code == code) return &t;
    return nullptr;
}

bool is_audience(const ProgrammeTemplate& t, const Participant& p, int cohort) {
    if (p.role != t.audience) return false;
    if (p.cohort && *p.cohort != cohort) return false;
    if (t.programme_year) return p.programme_year.value_or(1) == *t.programme_year;
    return true;
}

}  // namespace muster::programme

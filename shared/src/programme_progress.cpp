#include "muster/attendance/programme_progress.hpp"

#include "muster/programme/templates.hpp"
#include "muster/time/uk_time.hpp"

#include <algorithm>
#include <cstdio>
#include <map>

namespace muster::attendance {
namespace {

// The elements of these templates (their non-optional items: coaching-on-coaching is
// optional for mentors and is not required).
std::vector<PlanItem> items_of(std::initializer_list<std::string_view> programmes) {
    std::vector<PlanItem> out;
    for (auto code : programmes)
        if (const auto* t = programme::find_template(code))
            for (const auto& item : t->items)
                if (!item.optional) out.push_back({std::string(code), std::string(item.code), item.kind});
    return out;
}

Plan make_plan(std::string name, std::initializer_list<std::string_view> programmes, std::vector<Target> targets,
               int min_percent = 0) {
    Plan plan;
    plan.name = std::move(name);
    for (auto code : programmes) plan.programmes.emplace_back(code);
    plan.items = items_of(programmes);
    plan.targets = std::move(targets);
    plan.min_percent = min_percent;
    return plan;
}

ItemState state_of(const EventRecord& r) {
    if (counts(r)) {
        if (r.standing == Standing::caught_up) return ItemState::caught_up;
        if (r.standing == Standing::alternate) return ItemState::alternate;
        return ItemState::attended;
    }
    if (r.standing == Standing::not_yet_held) return ItemState::to_come;
    if (r.standing == Standing::excused) return ItemState::excused;
    return ItemState::missed;
}

// Lower is better: the run that decides an element's state (ItemState is declared in this order).
int rank(ItemState s) { return static_cast<int>(s); }

void add(Tally& t, ItemState s) {
    ++t.elements;
    switch (s) {
        case ItemState::attended: ++t.attended; break;
        case ItemState::alternate: ++t.alternate; break;
        case ItemState::caught_up: ++t.caught_up; break;
        case ItemState::to_come:
        case ItemState::not_scheduled: ++t.to_come; break;
        case ItemState::excused: ++t.excused; break;
        case ItemState::missed: ++t.missed; break;
    }
}

std::string percent_text(double p) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f %%", p);
    return buf;
}

}  // namespace

std::string_view to_string(Standing s) {
    switch (s) {
        case Standing::attended: return "attended";
        case Standing::late: return "late";
        case Standing::left_early: return "left_early";
        case Standing::absent: return "absent";
        case Standing::excused: return "excused";
        case Standing::caught_up: return "caught_up";
        case Standing::alternate: return "alternate";
        case Standing::not_yet_held: return "not_yet_held";
    }
    return "?";
}

std::string_view label(Standing s) {
    switch (s) {
        case Standing::attended: return "Attended";
        case Standing::late: return "Late";
        case Standing::left_early: return "Left early";
        case Standing::absent: return "Absent";
        case Standing::excused: return "Excused";
        case Standing::caught_up: return "Caught up (recording)";
        case Standing::alternate: return "Attended alternate";
        case Standing::not_yet_held: return "Not yet held";
    }
    return "?";
}

std::string_view to_string(ItemState s) {
    switch (s) {
        case ItemState::attended: return "attended";
        case ItemState::alternate: return "alternate";
        case ItemState::caught_up: return "caught_up";
        case ItemState::to_come: return "to_come";
        case ItemState::not_scheduled: return "not_scheduled";
        case ItemState::excused: return "excused";
        case ItemState::missed: return "missed";
    }
    return "?";
}

std::optional<Plan> plan_for(const Participant& p) {
    switch (p.role) {
        case Role::ect:
            // A part-time ECT on the three-year schedule does the same events as the
            // two-year programme, spaced out locally (handbook 4.9.1, 4.9.2): they are judged
            // on both years' elements together, over whichever runs the hub gives them, not
            // on a year's two-conference / one-conference quota (docs/progress.md).
            if (p.part_time)
                return make_plan("ECT part-time (three-year schedule)", {"ect-y1", "ect-y2"},
                                 {{EventKind::conference, 3, "conferences"}, {EventKind::clinic, 6, "clinics"}});
            if (p.programme_year.value_or(1) == 2)
                return make_plan("ECT year 2", {"ect-y2"},
                                 {{EventKind::conference, 1, "conferences"}, {EventKind::clinic, 3, "clinics"}});
            return make_plan("ECT year 1", {"ect-y1"},
                             {{EventKind::conference, 2, "conferences"}, {EventKind::clinic, 3, "clinics"}});
        case Role::mentor:
            return make_plan("Mentor training", {"mentor"},
                             {{EventKind::mentor_conference, 2, "conferences"}, {EventKind::mentor_clinic, 1, "clinics"}});
        case Role::npq: return make_plan("NPQ", {"npq"}, {}, 90);
        case Role::induction_tutor:
        case Role::facilitator:
        case Role::hub_staff:
        case Role::guest: return std::nullopt;
    }
    return std::nullopt;
}

bool is_held(const Event& event, TimeMs now) {
    if (event.sessions.empty()) return event.local_date < uk_time::format_date(now);
    TimeMs end = event.sessions.front().ends_ms;
    for (const auto& s : event.sessions) end = std::max(end, s.ends_ms);
    return now >= end;
}

EventRecord record_for(const Event& event, const Summary& summary, TimeMs now) {
    EventRecord r;
    r.event_id = event.id;
    r.programme = event.programme;
    r.item = event.item;
    r.kind = event.kind;
    r.local_date = event.local_date;
    r.marked_by_staff = summary.marked_by_staff;
    r.whole = summary.marked_by_staff || summary.sessions_total == 0 || summary.sessions_attended >= summary.sessions_total;
    if (!summary.marked_by_staff && !is_held(event, now)) {
        r.standing = Standing::not_yet_held;
        return r;
    }
    switch (summary.status) {
        case AttendanceStatus::present: r.standing = Standing::attended; break;
        case AttendanceStatus::late: r.standing = Standing::late; break;
        case AttendanceStatus::left_early: r.standing = Standing::left_early; break;
        case AttendanceStatus::absent: r.standing = Standing::absent; break;
        case AttendanceStatus::excused: r.standing = Standing::excused; break;
        case AttendanceStatus::caught_up: r.standing = Standing::caught_up; break;
        case AttendanceStatus::alternate: r.standing = Standing::alternate; break;
    }
    return r;
}

bool counts(const EventRecord& r) {
    switch (r.standing) {
        case Standing::attended:
        case Standing::late:
        case Standing::alternate: return r.whole;
        case Standing::caught_up: return true;
        case Standing::left_early:
        case Standing::absent:
        case Standing::excused:
        case Standing::not_yet_held: return false;
    }
    return false;
}

Progress progress(ParticipantId participant, const Plan& plan, std::span<const EventRecord> records) {
    Progress out;
    out.participant_id = participant;
    out.plan = plan.name;
    out.items.reserve(plan.items.size());
    out.targets.reserve(plan.targets.size());
    for (const auto& item : plan.items) {
        ItemProgress ip{item, ItemState::not_scheduled, std::nullopt, {}};
        for (const auto& r : records) {
            if (r.programme != item.programme || r.item != item.item) continue;
            auto s = state_of(r);
            // The best run decides; between equals, the earliest date (the first time it was met).
            if (ip.state == ItemState::not_scheduled || rank(s) < rank(ip.state) ||
                (s == ip.state && r.local_date < ip.local_date)) {
                ip.state = s;
                ip.event_id = r.event_id;
                ip.local_date = r.local_date;
            }
        }
        out.items.push_back(std::move(ip));
    }

    out.all.name = "elements";
    for (const auto& target : plan.targets) {
        Tally t;
        t.kind = target.kind;
        t.name = target.name;
        t.required = target.required;
        for (const auto& ip : out.items)
            if (ip.item.kind == target.kind) add(t, ip.state);
        out.targets.push_back(t);
        out.all.required += target.required;
    }
    // With targets, the elements of other kinds (the ECT orientation) are shown but not counted.
    for (const auto& ip : out.items)
        if (plan.targets.empty() ||
            std::any_of(plan.targets.begin(), plan.targets.end(), [&](const Target& t) { return t.kind == ip.item.kind; }))
            add(out.all, ip.state);

    if (plan.min_percent > 0) {
        // NPQ: at least min_percent of all elements. Compared in whole numbers, so exactly
        // 90 % is met and 89.9 % is not.
        const int n = out.all.elements;
        out.all.required = (plan.min_percent * n + 99) / 100;
        if (n > 0) {
            out.percent = 100.0 * out.all.counted() / n;
            out.best_percent = 100.0 * (out.all.counted() + out.all.routes()) / n;
        }
        out.met = out.all.counted() * 100 >= plan.min_percent * n;
        bool possible = (out.all.counted() + out.all.routes()) * 100 >= plan.min_percent * n;
        out.at_risk = !out.met && !possible;
        if (out.at_risk)
            out.risk = "best possible " + percent_text(out.best_percent.value_or(0)) + ", under " +
                       std::to_string(plan.min_percent) + " %";
        return out;
    }

    out.met = !out.targets.empty();
    for (const auto& t : out.targets) {
        if (t.needed() > 0) out.met = false;
        // At risk: more still needed than dates left (and excused absences that can still
        // be caught up by their recording).
        if (t.needed() > t.routes()) {
            out.at_risk = true;
            out.risk += (out.risk.empty() ? "" : "; ") + std::string("needs ") + std::to_string(t.needed()) + " " +
                        std::string(t.name) + ", " + std::to_string(t.to_come) + " date(s) left" +
                        (t.excused ? ", " + std::to_string(t.excused) + " excused to catch up" : "");
        }
    }
    return out;
}

std::vector<SchoolProgress> by_school(std::span<const ParticipantProgress> rows) {
    std::map<std::string, SchoolProgress> schools;
    for (const auto& row : rows) {
        const auto& p = row.participant;
        std::string urn = p.school_urn.value_or("");
        auto& s = schools[urn];
        s.urn = urn;
        if (s.name.empty() && p.school_name) s.name = *p.school_name;
        ++s.participants;
        if (row.progress.met) ++s.met;
        if (row.progress.at_risk) ++s.at_risk;
        s.required += row.progress.all.required;
        s.counted += std::min(row.progress.all.counted(), row.progress.all.required);
        s.excused += row.progress.all.excused;
        s.missed += row.progress.all.missed;
    }
    std::vector<SchoolProgress> out;
    for (auto& [urn, s] : schools)
        if (!urn.empty()) out.push_back(std::move(s));
    if (auto none = schools.find(""); none != schools.end()) out.push_back(std::move(none->second));
    return out;
}

}  // namespace muster::attendance

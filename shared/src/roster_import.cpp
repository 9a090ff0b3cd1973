// Writing a validated roster into the database in one transaction.
#include "muster/roster/roster_import.hpp"

#include "muster/store/participant_store.hpp"
#include "muster/time/uk_time.hpp"
#include "muster/util/text.hpp"

namespace muster::roster {
namespace {

struct Match {
    std::optional<ParticipantId> id;      // who the row updates; none: a new person
    std::optional<std::string> problem;   // the row names two people: refused
};

// Who a row is. A TRN is a person's identity; an email only finds someone who has no TRN
// yet. A row whose TRN and email point at different people is never merged into either:
// one of them is wrong, and only the hub's staff can tell which. Messages name participant
// ids, never a name, TRN or email.
Match match_person(db::Database& db, const Participant& p) {
    std::optional<ParticipantId> by_trn = p.trn ? store::find_participant_by_trn(db, *p.trn) : std::nullopt;
    std::optional<ParticipantId> by_email = p.email ? store::find_participant_by_email(db, *p.email) : std::nullopt;
    if (by_trn && by_email && *by_trn != *by_email)
        return {std::nullopt, "the TRN is participant " + std::to_string(*by_trn) + "'s and the email participant " +
                                  std::to_string(*by_email) + "'s: two different people already on the roster"};
    if (by_trn) return {by_trn, std::nullopt};
    if (by_email && p.trn) {
        auto known = store::find_participant(db, *by_email);
        if (known && known->trn)
            return {std::nullopt, "the email is participant " + std::to_string(*by_email) +
                                      "'s, who has a different TRN: a new person with a shared email, or a TRN typed wrong"};
    }
    return {by_email, std::nullopt};
}

// What an existing person becomes: their record with the file's fields written over it.
// A field whose column the file lacks is kept (a roster export without a school column
// must not erase every school), and so is a TRN the row leaves empty: a TRN is who the
// person is, and a row matched by email says nothing about it.
Participant merge_row(const Participant& known, const Participant& row, const std::vector<Field>& present) {
    Participant out = known;
    for (Field f : present)
        if (!(f == Field::trn && !row.trn)) copy_field(f, row, out);
    return out;
}

// Fields that decide which events a person is expected at.
bool audience_changed(const std::vector<Field>& fields) {
    for (Field f : fields)
        if (f == Field::role || f == Field::programme || f == Field::cohort || f == Field::programme_year) return true;
    return false;
}

}  // namespace

ImportReport import_roster(db::Database& db, std::string_view csv_text, const ImportOptions& options) {
    ParsedRoster parsed = parse_roster(csv_text);
    ImportReport report;
    report.rows = parsed.rows.size();
    report.delimiter = parsed.delimiter;
    report.warnings = std::move(parsed.warnings);
    report.errors = std::move(parsed.errors);
    if (!report.errors.empty()) return report;  // all-or-nothing: nothing written

    db::Transaction tx(db);
    std::int64_t change = store::next_change(db);
    std::vector<ParticipantId> to_follow;  // new people, and people whose audience fields changed
    const std::size_t total = parsed.rows.size();
    for (std::size_t i = 0; i < total; ++i) {
        const Row& row = parsed.rows[i];
        const Participant& p = row.person;
        auto match = match_person(db, p);
        if (match.problem) {
            report.errors.push_back({row.line, parsed.email_column, *match.problem});
            continue;
        }
        if (!match.id) {
            ParticipantId id = store::insert_participant(db, p, change);
            report.added.push_back({id, p.full_name(), {}});
            to_follow.push_back(id);
            ++report.inserted;
        } else if (auto known = store::find_participant(db, *match.id)) {
            Participant merged = merge_row(*known, p, parsed.present);
            PersonLine line{*match.id, merged.full_name(), {}};
            for (Field f : all_fields())
                if (differs(f, *known, merged)) {
                    line.fields.push_back(f);
                    if (is_empty(f, merged)) ++report.cleared[f];
                }
            if (!line.fields.empty() && store::update_participant(db, *match.id, merged, change)) {
                if (audience_changed(line.fields)) to_follow.push_back(*match.id);
                report.changed.push_back(std::move(line));
                ++report.updated;
            } else {
                report.same.push_back({*match.id, merged.full_name(), {}});
                ++report.unchanged;
            }
        }
        if (options.progress && (i % 5000 == 4999 || i + 1 == total)) options.progress(i + 1, total);
    }
    report.rows = total;
    if (!report.errors.empty()) return report;  // the transaction rolls back
    std::string today = options.today.value_or(uk_time::format_date(uk_time::now_ms()));
    report.enrolled = store::enrol_in_future_events(db, to_follow, today, change);
    if (options.dry_run) return report;  // the transaction rolls back: nothing written
    tx.commit();
    report.committed = true;
    return report;
}

}  // namespace muster::roster

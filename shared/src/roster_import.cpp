// Writing a validated roster into the database in one transaction.
#include "muster/roster/roster_import.hpp"

#include "muster/store/participant_store.hpp"
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

// A row without a TRN that an email matched to someone who has one leaves that TRN as it
// is: a roster that lacks a column must not erase a person's identity.
Participant keep_known_trn(db::Database& db, ParticipantId id, const Participant& row) {
    if (row.trn) return row;
    Participant out = row;
    if (auto known = store::find_participant(db, id)) out.trn = known->trn;
    return out;
}

}  // namespace

ImportReport import_roster(db::Database& db, std::string_view csv_text, const ImportOptions& options) {
    ParsedRoster parsed = parse_roster(csv_text);
    ImportReport report;
    report.rows = parsed.rows.size();
    report.warnings = std::move(parsed.warnings);
    report.errors = std::move(parsed.errors);
    if (!report.errors.empty()) return report;  // all-or-nothing: nothing written

    db::Transaction tx(db);
    std::int64_t change = store::next_change(db);
    const std::size_t total = parsed.rows.size();
    for (std::size_t i = 0; i < total; ++i) {
        const Row& row = parsed.rows[i];
        const Participant& p = row.person;
        auto match = match_person(db, p);
        if (match.problem) {
            report.errors.push_back({row.line, parsed.email_column, *match.problem});
            continue;
        }
        std::optional<ParticipantId> id = match.id;
        if (!id) {
            store::insert_participant(db, p, change);
            ++report.inserted;
        } else if (store::update_participant(db, *id, keep_known_trn(db, *id, p), change)) {
            ++report.updated;
        } else {
            ++report.unchanged;
        }
        if (options.progress && (i % 5000 == 4999 || i + 1 == total)) options.progress(i + 1, total);
    }
    report.rows = total;
    if (!report.errors.empty() || options.dry_run) return report;  // the transaction rolls back
    tx.commit();
    report.committed = true;
    return report;
}

}  // namespace muster::roster

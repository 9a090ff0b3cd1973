#include "sync_pass.hpp"

#include "muster/sync/http_status.hpp"
#include "hub_answer.hpp"
#include "upload_decision.hpp"

#include "muster/util/version.hpp"

#include <algorithm>
#include <cstdlib>

namespace muster::kiosk {
namespace {

// A hub with more than this many pages of changes is read on in the next pass.
constexpr int max_pages_per_pass = 100;

bool has_rows(const sync::Changes& c) {
    return !c.participants.empty() || !c.events.empty() || !c.sessions.empty() || !c.rooms.empty() ||
           !c.enrolments.empty() || !c.badges.empty() || !c.nfc_cards.empty() || !c.check_ins.empty() ||
           !c.corrections.empty();
}

}  // namespace

bool SyncPass::upload() {
    for (;;) {
        if (stop_.stop_requested()) return true;  // the rest waits for the next start
        auto batch = link_.store.next_batch(link_.batch_limit, link_.hub.now());
        std::size_t records = batch.check_ins.size() + batch.corrections.size() + batch.satisfaction.size();
        if (records == 0) {
            link_.batch_limit = sync::max_batch_records;
            return true;
        }
        auto reply = link_.hub.call("POST", "/v1/upload", sync::to_json(batch));
        UploadReplyFacts facts{answer_of(reply), records, stop_.stop_requested(), std::nullopt};
        auto step = decide_upload(facts);
        if (step == UploadStep::probe_empty_batch) {
            facts.empty_batch_taken = takes_empty_batch();
            step = decide_upload(facts);
        }
        switch (step) {
        case UploadStep::stopped: return true;  // cancelled by stop(): not a failure to record
        case UploadStep::acknowledged:
            if (!acknowledge(batch, reply)) return true;
            continue;
        case UploadStep::revoked: return revoked();
        case UploadStep::narrow: link_.batch_limit = narrowed_limit(link_.batch_limit); continue;
        case UploadStep::refuse_record: refuse_only_record(batch, reply); continue;
        case UploadStep::probe_empty_batch:  // answered above; never twice
        case UploadStep::retry_later: break;
        }
        link_.batch_limit = sync::max_batch_records;
        link_.store.note_failure(batch, error_text(reply));
        record_outcome(false, error_text(reply), reply.status);
        return false;
    }
}

bool SyncPass::acknowledge(const sync::UploadBatch& batch, const HttpResult& reply) {
    auto answer = sync::parse_upload_reply(reply.body);
    auto is_answer = [&](const std::string& uuid) {
        return std::any_of(batch.satisfaction.begin(), batch.satisfaction.end(), [&](const auto& a) { return a.uuid == uuid; });
    };
    // Satisfaction answers leave the device whether stored or refused: a refusal is final,
    // and an answer is not worth keeping a person's trace for. Only their count is logged.
    std::vector<std::string> records_acked, answers_done;
    std::vector<sync::Rejection> records_refused;
    std::size_t answers_refused = 0;
    for (auto& u : answer.acked) (is_answer(u) ? answers_done : records_acked).push_back(std::move(u));
    for (auto& r : answer.rejected) {
        if (is_answer(r.uuid)) {
            answers_done.push_back(std::move(r.uuid));
            ++answers_refused;
        } else {
            records_refused.push_back(std::move(r));
        }
    }
    bool answered_any = !records_acked.empty() || !records_refused.empty() || !answers_done.empty();
    link_.store.acknowledge(records_acked);
    link_.store.reject(records_refused);
    link_.store.forget_answers(answers_done);
    if (log_ && answers_refused > 0)
        log_->warn("satisfaction_refused", {{"device", link_.hub.device_id()}, {"count", static_cast<std::int64_t>(answers_refused)}});
    answer.acked = std::move(records_acked);  // what staff count as sent: records
    auto pending = link_.store.pending();
    auto rejected = link_.store.rejected();
    board_.update([&](SyncStatus& st) {
        st.online = true;  // an acknowledgement proves it; staff should not see "offline" here
        st.last_error.clear();
        st.last_ok_ms = link_.hub.now();
        st.sent += answer.acked.size();
        st.queued = pending;
        st.rejected = rejected;
    });
    return answered_any;
}

bool SyncPass::takes_empty_batch() {
    sync::UploadBatch empty;
    empty.device_time_ms = link_.hub.now();
    return link_.hub.call("POST", "/v1/upload", sync::to_json(empty)).status == code_of(sync::HttpStatus::ok);
}

// One record the server cannot take at all: keep it, stop sending it, tell staff.
void SyncPass::refuse_only_record(const sync::UploadBatch& batch, const HttpResult& reply) {
    if (batch.check_ins.empty() && batch.corrections.empty()) {
        // The one item is a satisfaction answer the hub cannot read: it is dropped, counted.
        link_.store.forget_answers({batch.satisfaction.at(0).uuid});
        link_.batch_limit = sync::max_batch_records;
        if (log_) log_->warn("satisfaction_refused", {{"device", link_.hub.device_id()}, {"count", 1}, {"status", reply.status}});
        return;
    }
    std::string uuid = batch.check_ins.empty() ? batch.corrections[0].uuid : batch.check_ins[0].uuid;
    link_.store.reject({{uuid, error_text(reply), sync::RejectionCode::unknown}});
    link_.batch_limit = sync::max_batch_records;
    if (log_) log_->warn("sync_record_refused", {{"device", link_.hub.device_id()}, {"status", reply.status}});
}

// The device reports itself with each poll (docs/api.md): its outbox count, its program's
// version and its clock's skew as last measured (device minus hub), for `muster device list`.
// The query is signed with the rest of the target; a server that predates these ignores them.
std::string SyncPass::changes_target() {
    return "/v1/changes?since=" + std::to_string(link_.store.cursor()) +
           "&queued=" + std::to_string(link_.store.pending()) + "&version=" + std::string(program_version()) +
           "&skew=" + std::to_string(-link_.hub.clock_offset_ms());
}

bool SyncPass::download() {
    for (int page = 0; page < max_pages_per_pass; ++page) {
        if (stop_.stop_requested()) return true;
        auto reply = link_.hub.call("GET", changes_target(), "");
        auto answer = answer_of(reply);
        if (answer == HubAnswer::no_reply && stop_.stop_requested()) return true;
        if (answer == HubAnswer::revoked) return revoked();
        if (answer != HubAnswer::accepted) {
            record_outcome(false, error_text(reply), reply.status);
            return false;
        }
        auto changes = sync::parse_changes(reply.body);
        link_.store.apply(changes);
        if (has_rows(changes)) board_.changes_applied();
        if (!changes.more) return true;
    }
    return true;
}

void SyncPass::record_outcome(bool ok, const std::string& error, int status) {
    using clock = std::chrono::steady_clock;
    std::optional<std::chrono::milliseconds> delay;
    if (ok) {
        link_.backoff.reset();
        link_.retry_at.reset();
    } else {
        delay = link_.backoff.next_delay();
        link_.retry_at = clock::now() + *delay;
    }
    bool was_online = false;
    auto offset = link_.hub.clock_offset_ms();
    TimeMs now = link_.hub.now();
    board_.update([&](SyncStatus& st) {
        was_online = st.online;
        st.clock_offset_ms = offset;
        st.clock_flagged = std::llabs(offset) > sync::clock_skew_flag_ms;
        st.online = ok;
        if (ok) {
            st.last_error.clear();
            st.next_retry_ms.reset();
            st.last_ok_ms = now;
        } else {
            st.last_error = error;
            st.next_retry_ms = now + delay->count();
        }
    });
    // Only the changes, with ids and statuses: the error text may quote the server.
    if (log_ && ok && !was_online) log_->info("sync_online", {{"device", link_.hub.device_id()}});
    if (log_ && !ok && was_online) log_->warn("sync_offline", {{"device", link_.hub.device_id()}, {"status", status}});
    persist();
}

// The hub cut this device off: it keeps scanning and keeping its records, and says so.
bool SyncPass::revoked() {
    board_.update([](SyncStatus& st) {
        st.revoked = true;
        st.online = false;
        st.last_error = "this device was revoked by the hub; its records stay on it";
    });
    if (log_) log_->warn("sync_revoked", {{"device", link_.hub.device_id()}});
    persist();
    return false;
}

// Keeps what staff see across a restart (the store writes only what changed).
void SyncPass::persist() {
    auto st = board_.read();
    try {
        link_.store.save_sync_state({st.last_ok_ms, st.last_error, st.clock_offset_ms});
    } catch (const std::exception&) {
        // The desk holds the write lock for long: the next outcome writes it.
    }
}

void SyncPass::finish() {
    auto pending = link_.store.pending();
    auto rejected = link_.store.rejected();
    board_.update([&](SyncStatus& st) {
        st.queued = pending;
        st.rejected = rejected;
        ++st.passes;
    });
}

}  // namespace muster::kiosk

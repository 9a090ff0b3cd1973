#include "upload_decision.hpp"

#include <algorithm>

namespace muster::kiosk {

UploadStep decide_upload(const UploadReplyFacts& f) {
    if (f.answer == HubAnswer::no_reply && f.stop_requested) return UploadStep::stopped;
    switch (f.answer) {
    case HubAnswer::accepted: return UploadStep::acknowledged;
    case HubAnswer::revoked: return UploadStep::revoked;
    case HubAnswer::malformed:
        if (!f.empty_batch_taken) return UploadStep::probe_empty_batch;
        // The server refuses even a batch with no records: the fault is not in these records
        // (a client or server bug, something in between), so narrowing down would refuse the
        // whole outbox for good, one record at a time.
        if (!*f.empty_batch_taken) return UploadStep::retry_later;
        [[fallthrough]];
    case HubAnswer::too_large:
        if (f.records > 1) return UploadStep::narrow;
        // A batch is never empty here (the outbox was); were it so, there is nothing to refuse.
        return f.records == 1 ? UploadStep::refuse_record : UploadStep::retry_later;
    default:
        // No reply, 401 (after the client's one re-signed try for clock skew), 503, or
        // anything unexpected: nothing is wrong with the records.
        return UploadStep::retry_later;
    }
}

std::size_t narrowed_limit(std::size_t limit) { return std::max<std::size_t>(1, limit / 4); }

}  // namespace muster::kiosk

#pragma once
// What to do once the hub answered one upload from the outbox: the policy alone, with no
// socket or database, so that every branch has its own test (test_upload_decision.cpp).
// A record leaves the outbox only when acknowledged or refused for good (docs/kiosk.md,
// "Refusals"); everything else is sent again later.
#include "hub_answer.hpp"

#include <cstddef>
#include <optional>

namespace muster::kiosk {

enum class UploadStep {
    stopped,            // stop() cancelled the request: not a failure; the rest waits for the next start
    acknowledged,       // apply the reply's acknowledgements and refusals, send the next batch
    revoked,            // stop syncing; every record stays on the device
    probe_empty_batch,  // a 400: first ask whether the server takes an empty batch at all
    narrow,             // send fewer records (narrowed_limit) to find the one the server refuses
    refuse_record,      // the batch's only record cannot be taken: keep it, stop sending it, tell staff
    retry_later,        // count a failed attempt on the batch and back off
};

struct UploadReplyFacts {
    HubAnswer answer = HubAnswer::no_reply;
    std::size_t records = 0;      // in the batch that was sent (check-ins, corrections, satisfaction answers)
    bool stop_requested = false;  // read after the reply came back
    // Whether the server takes a batch with no records; known once probe_empty_batch ran.
    std::optional<bool> empty_batch_taken;
};

UploadStep decide_upload(const UploadReplyFacts& facts);

// The batch limit after a narrow step: a quarter, at least one record.
std::size_t narrowed_limit(std::size_t limit);

}  // namespace muster::kiosk

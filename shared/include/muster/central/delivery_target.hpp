#pragma once
// Where record versions go: one implementation per target kind (docs/central.md).
//  - sync-server/central/https_target.cpp: JSON POSTed in batches, bearer or HMAC, retries
//    by status (needs Beast and OpenSSL: the server's library, not the core);
//  - shared/src/central/csv_target.cpp: a CSV file per batch for CRMs that import spreadsheets;
//  - shared/src/central/evidence_csv_target.cpp: the lead provider's evidence file.
// A target is used by one worker thread at a time; deliver() blocks for at most the target's
// timeout (a file target: the write and fsync).
#include "muster/central/target_config.hpp"

#include "muster/store/central_outbox.hpp"

#include <chrono>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace muster::central {

struct DeliveryOutcome {
    store::DeliveryResult::Kind kind = store::DeliveryResult::Kind::delivered;
    std::optional<int> http_status;
    std::string error;                          // no personal data
    std::optional<std::string> remote_id;
    std::optional<std::chrono::milliseconds> retry_after;  // the target asked to wait (429, 503 Retry-After)
};

class DeliveryTarget {
public:
    virtual ~DeliveryTarget() = default;
    // Sends `batch` (claimed entries of this target) and says what became of each, one outcome
    // per item in order. Never throws for a failed delivery: an unreachable or failing target
    // is an outcome (retry), a malformed record another (rejected).
    virtual std::vector<DeliveryOutcome> deliver(std::span<const store::DeliveryItem> batch) = 0;
};

// The file targets (muster_core). Throw muster::ConfigError when the target cannot be set up
// (folder missing or not writable). The https target is made by the server's library
// (sync-server/central/https_target.hpp), and the server picks by kind.
std::unique_ptr<DeliveryTarget> make_csv_target(const TargetConfig& config);
std::unique_ptr<DeliveryTarget> make_evidence_csv_target(const TargetConfig& config);

}  // namespace muster::central

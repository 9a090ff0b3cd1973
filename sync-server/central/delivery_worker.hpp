#pragma once
// The delivery worker inside the server (docs/central.md): one thread per configured target,
// each with its own connection to the hub database, claiming due outbox entries in batches,
// delivering them through its DeliveryTarget and recording the outcomes. It never holds a
// write transaction while sending, so device sync is never blocked by a slow CRM. At start it
// registers the file's targets and releases entries a killed server left `sending`.
#include "muster/central/delivery_target.hpp"
#include "muster/central/target_config.hpp"

#include "muster/log/logger.hpp"
#include "muster/model/types.hpp"

#include <filesystem>
#include <functional>
#include <memory>

namespace muster::central {

class DeliveryWorker {
public:
    using Clock = std::function<TimeMs()>;
    // `targets`: one per config.targets, in the same order (server_main makes them by kind:
    // make_https_target, make_csv_target, make_evidence_csv_target; tests may pass their own).
    // database: the hub database's location, a SQLite file or a postgresql:// URL.
    DeliveryWorker(std::string database, CentralConfig config, log::Logger& log, Clock clock,
                   std::vector<std::unique_ptr<DeliveryTarget>> targets);
    ~DeliveryWorker();  // stops
    DeliveryWorker(const DeliveryWorker&) = delete;
    DeliveryWorker& operator=(const DeliveryWorker&) = delete;

    void start();
    // Look for due entries now (after a sign-off or a retry on the staff pages), not at the
    // next poll.
    void wake();
    // Finishes the batch in hand (bounded by the target's timeout) and joins the threads.
    void stop();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace muster::central

#include "target_factory.hpp"

#include "https_target.hpp"

#include "muster/util/config_error.hpp"

namespace muster::central {

std::unique_ptr<DeliveryTarget> make_target(const TargetConfig& config) {
    switch (config.kind) {
        case store::TargetKind::https: return make_https_target(config);
        case store::TargetKind::csv: return make_csv_target(config);
        case store::TargetKind::evidence_csv: return make_evidence_csv_target(config);
    }
    throw ConfigError("central target " + config.name + ": kind: unknown");
}

std::vector<std::unique_ptr<DeliveryTarget>> make_targets(const CentralConfig& config) {
    std::vector<std::unique_ptr<DeliveryTarget>> out;
    for (const auto& t : config.targets) out.push_back(make_target(t));
    return out;
}

}  // namespace muster::central

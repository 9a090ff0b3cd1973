#pragma once
// The server makes each configured target by its kind (docs/central.md).
#include "muster/central/delivery_target.hpp"

#include <memory>
#include <vector>

namespace muster::central {

// Throws muster::ConfigError naming the target when one cannot be set up.
std::unique_ptr<DeliveryTarget> make_target(const TargetConfig& config);
std::vector<std::unique_ptr<DeliveryTarget>> make_targets(const CentralConfig& config);

}  // namespace muster::central

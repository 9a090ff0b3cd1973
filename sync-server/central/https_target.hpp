#pragma once
// The https target (docs/central.md): record versions POSTed as JSON in batches to the CRM's
// endpoint, through the mapping file's field names, with a bearer token or an HMAC signature,
// an Idempotency-Key per record and per request; 5xx, timeouts and 429 are retried with
// exponential back-off and full jitter, honouring Retry-After; another 4xx rejects (a batch's
// 4xx is retried one record at a time, so one malformed record is the only one rejected); a
// per-target request rate limit. http:// is allowed only to a loopback address (tests).
#include "muster/central/delivery_target.hpp"

#include <memory>

namespace muster::central {

// Throws muster::ConfigError when the target cannot be set up (a secret file missing or
// readable by others, a mapping that is not valid, a URL that is not https off loopback).
std::unique_ptr<DeliveryTarget> make_https_target(const TargetConfig& config);

}  // namespace muster::central

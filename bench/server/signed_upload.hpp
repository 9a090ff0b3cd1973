#pragma once
// What a device sends the sync server, for the server benches: a request signed with the
// device's secret (docs/api.md), and the batch-upload loop both benches measure ingest with.
#include "load_generator.hpp"

#include "muster/model/types.hpp"
#include "muster/sync/request_signing.hpp"

#include <string>
#include <vector>

namespace muster::bench {

// `method target` with `body`, signed now by `device` with a fresh nonce.
LoadRequest signed_request(const std::string& device, const sync::DeviceSecret& secret, std::string method,
                           std::string target, std::string body);

// POST /v1/upload of these check-ins by `device`.
LoadRequest upload_request(const std::string& device, const sync::DeviceSecret& secret, std::vector<CheckIn> records);

// Check-ins per second through the server: every batch uploaded by `device` on `connections`
// keep-alive connections, as fast as replies come back (tls_ca "" for plain HTTP). Prints a
// warning line when not every check-in was acknowledged; the rate counts acknowledged ones.
double upload_rate(unsigned short port, const std::string& tls_ca, const std::string& device,
                   const sync::DeviceSecret& secret, std::vector<std::vector<CheckIn>> batches, int connections);

}  // namespace muster::bench

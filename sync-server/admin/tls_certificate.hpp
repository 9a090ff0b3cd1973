#pragma once
// The sync server's TLS identity: a self-signed ECDSA P-256 certificate made for a hub.
// Devices pin this exact certificate (it is copied into each device folder), so no public
// certificate authority is involved and a venue network cannot intercept the sync.
#include <filesystem>
#include <string>
#include <vector>

namespace muster::admin {

// Writes cert_path (PEM) and key_path (PEM, mode 600). The certificate names every host
// in `hosts` (DNS names or IP addresses) as a subjectAltName; localhost and 127.0.0.1 are
// always included so the demo and the tests work.
void write_self_signed_certificate(const std::filesystem::path& cert_path, const std::filesystem::path& key_path,
                                   const std::string& hub_name, std::vector<std::string> hosts, int valid_days = 1825);

}  // namespace muster::admin

#pragma once
// The central records targets in the server's file (sync-server.toml), one [[central.target]]
// table each (docs/central.md, device-config/sync-server.example.toml):
//
//   [central]
//   poll_ms = 1000                      # how often the worker looks for new entries when idle
//
//   [[central.target]]
//   name = "crm"                        # 1..40 of [a-z0-9_-]; part of every idempotency key
//   kind = "https"                      # https | csv | evidence-csv
//   url = "https://crm.example.org/api/attendance"   # http:// only to a loopback address (tests)
//   ca_file = "tls/crm-ca.pem"          # optional: trust this CA instead of the system's
//   auth = "bearer"                     # bearer | hmac | none
//   secret_file = "secrets/crm.token"   # the token or HMAC key; a file (mode 0600), never the toml
//   mapping = "central-mapping.json"    # optional: field mapping (default: the record as it is)
//   batch_size = 100                    # records per request (1..1000)
//   requests_per_s = 5                  # per-target request rate limit (0: none)
//   timeout_ms = 10000                  # per request
//   backoff_initial_ms = 1000           # exponential back-off with full jitter ...
//   backoff_max_ms = 600000             # ... capped here; Retry-After is honoured up to it
//
//   [[central.target]]
//   name = "crm-import"
//   kind = "csv"                        # or "evidence-csv"
//   folder = "outgoing/crm"             # files appear here (written whole, then renamed)
//   batch_size = 500
//
// Paths are relative to the file. A bad table is refused with its field named
// ("central.target[1].url: ..."). Read by the server (server_config.cpp) and by the hub's
// terminal (`muster central status` names the targets).
#include "muster/store/central_outbox.hpp"

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace muster::config {
class TomlFile;
}

namespace muster::central {

enum class AuthKind { none, bearer, hmac };

struct TargetConfig {
    std::string name;
    store::TargetKind kind = store::TargetKind::https;
    // https
    std::string url;
    std::optional<std::filesystem::path> ca_file;
    AuthKind auth = AuthKind::none;
    std::optional<std::filesystem::path> secret_file;
    std::optional<std::filesystem::path> mapping;
    double requests_per_s = 5;  // 0: no limit
    int timeout_ms = 10'000;
    int backoff_initial_ms = 1'000;
    int backoff_max_ms = 600'000;
    // csv, evidence-csv
    std::filesystem::path folder;
    // all
    std::size_t batch_size = 100;
};

struct CentralConfig {
    int poll_ms = 1'000;
    std::vector<TargetConfig> targets;  // none: the worker does not run
};

// Reads [central] and every [[central.target]]; throws muster::ConfigError naming the field
// ("central.target[0].url: ...", counting tables from 0 as the TOML path does).
CentralConfig load_central_config(const config::TomlFile& file);

// An https target's URL taken apart: "https://crm.example.org:8443/api/x?y=1" → tls, host
// "crm.example.org", port "8443" (default 443 / 80), target "/api/x?y=1" (default "/").
// IPv6 hosts are written in brackets and given without them. nullopt: not an http(s) URL.
struct TargetUrl {
    bool tls = true;
    std::string host, port, target;
};
std::optional<TargetUrl> parse_target_url(std::string_view url);
// 127.0.0.0/8 and ::1: the only hosts a plain http:// target may name (a test's receiver).
bool is_loopback_host(std::string_view host);

}  // namespace muster::central

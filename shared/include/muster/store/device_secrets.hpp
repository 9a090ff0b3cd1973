#pragma once
// The hub's devices' secrets at rest: the key file they are sealed under (32 random bytes,
// mode 0600, beside the TLS key: tls/device-secrets.key) and sealing the bare secrets an
// older hub stored. Back the key file up with hub.db: without it no device can sync until
// each is provisioned again (docs/schema.md, "Files and secrets at rest").
#include "muster/db/database.hpp"
#include "muster/sync/device_secret_box.hpp"

#include <filesystem>
#include <optional>

namespace muster::store {

// The key in `file`; nullopt when there is no such file. Throws ConfigError when it cannot
// be read or does not hold exactly 32 bytes. A file others may read is made 0600.
std::optional<sync::DeviceSecretsKey> read_device_secrets_key(const std::filesystem::path& file);

// A new random key written to a new `file` (mode 0600; missing folders made 0700).
sync::DeviceSecretsKey create_device_secrets_key(const std::filesystem::path& file);

struct SecretsAtRest {
    sync::DeviceSecretsKey key{};
    bool key_created = false;
    int sealed = 0;  // bare secrets sealed just now
};

// The key for `hub`'s device secrets, with every bare 32-byte secret in its devices table
// sealed under it in one transaction (so none is left in the clear; running it again does
// nothing). A missing key file is created, unless the hub already holds sealed secrets: those
// need the lost file, and ConfigError says to restore it (or provision the devices again).
// SQLite's secure_delete zeroes the bare bytes in the file, and the WAL is truncated after.
// PostgreSQL keeps the old row versions (with the bare secrets) as dead tuples until VACUUM,
// which cannot run in a transaction and is left to the database's owner (docs/scale.md).
SecretsAtRest secure_device_secrets(db::Database& hub, const std::filesystem::path& key_file);

}  // namespace muster::store

#pragma once
// A hub's folder: hub.db (the hub database), hub-key.pem (private, mode 0600, never
// copied to a device), hub-public.pem, and what the CLI writes (badge sheets, device
// folders).
#include "muster/badge/hub_keys.hpp"
#include "muster/db/database.hpp"

#include <filesystem>
#include <memory>
#include <string>

namespace muster::admin {

struct HubInfo {
    std::string name;
    badge::PublicKey public_key{};
    std::string key_id;
};

class HubDir {
public:
    explicit HubDir(std::filesystem::path dir) : dir_(std::move(dir)) {}

    // Creates the folder, database and key pair. Refuses to touch an existing hub.
    void create(const std::string& hub_name) const;
    bool exists() const;
    // Opens the hub database, or throws with a hint to run `muster init`.
    std::unique_ptr<db::Database> open() const;
    HubInfo info(db::Database& db) const;
    badge::HubKeyPair signing_key() const;

    std::filesystem::path database_path() const { return dir_ / "hub.db"; }
    std::filesystem::path private_key_path() const { return dir_ / "hub-key.pem"; }
    std::filesystem::path public_key_path() const { return dir_ / "hub-public.pem"; }
    const std::filesystem::path& dir() const { return dir_; }

private:
    std::filesystem::path dir_;
};

}  // namespace muster::admin

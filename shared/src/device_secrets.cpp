#include "muster/store/device_secrets.hpp"

#include "muster/util/config_error.hpp"
#include "muster/util/private_files.hpp"

#include <openssl/crypto.h>

#include <fstream>
#include <iterator>
#include <string>
#include <utility>
#include <vector>

namespace muster::store {

std::optional<sync::DeviceSecretsKey> read_device_secrets_key(const std::filesystem::path& file) {
    if (!std::filesystem::exists(file)) return std::nullopt;
    restrict_to_owner(file);
    std::ifstream in(file, std::ios::binary);
    if (!in) throw ConfigError("hub.device_secrets_key: cannot read " + file.string());
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    sync::DeviceSecretsKey key{};
    if (bytes.size() != key.size())
        throw ConfigError("hub.device_secrets_key: " + file.string() + " is not a device-secrets key (32 bytes)");
    std::copy(bytes.begin(), bytes.end(), key.begin());
    OPENSSL_cleanse(bytes.data(), bytes.size());
    return key;
}

sync::DeviceSecretsKey create_device_secrets_key(const std::filesystem::path& file) {
    if (file.has_parent_path() && !std::filesystem::exists(file.parent_path())) create_private_folder(file.parent_path());
    auto key = sync::generate_device_secrets_key();
    write_new_private_file(file, std::string_view(reinterpret_cast<const char*>(key.data()), key.size()));
    return key;
}

SecretsAtRest secure_device_secrets(db::Database& hub, const std::filesystem::path& key_file) {
    auto count = [&](std::size_t length) {
        auto s = hub.prepare("SELECT count(*) FROM devices WHERE length(secret) = ?1");
        s.bind(1, static_cast<std::int64_t>(length));
        return s.query_one([](const db::Statement& r) { return r.int64(0); }).value_or(0);
    };
    SecretsAtRest out;
    if (auto key = read_device_secrets_key(key_file)) {
        out.key = *key;
    } else {
        if (count(sync::secret_box_size) > 0)
            throw ConfigError("hub.device_secrets_key: " + key_file.string() +
                              " is missing, and the hub's device secrets are sealed under it: restore it from the "
                              "backup of this hub, or provision every device again (muster device add)");
        try {
            out.key = create_device_secrets_key(key_file);
            out.key_created = true;
        } catch (const std::runtime_error&) {
            // Another process (the server starting while the admin tool runs) made it first.
            auto made = read_device_secrets_key(key_file);
            if (!made) throw;
            out.key = *made;
        }
    }
    if (count(sync::DeviceSecret{}.size()) == 0) return out;

    // secure_delete: SQLite zeroes the bare secret's bytes where the row stood, instead of
    // leaving them in the page's free space. The connection's own setting is restored after.
    // PostgreSQL has no such setting (see below).
    const bool sqlite = hub.engine() == db::Engine::sqlite;
    bool secure = true;
    if (sqlite) {
        secure = hub.prepare("PRAGMA secure_delete").query_one([](const db::Statement& r) { return r.int64(0); }).value_or(0) != 0;
        hub.exec("PRAGMA secure_delete = ON");
    }
    {
        db::Transaction tx(hub);
        auto plain = hub.prepare("SELECT id, secret FROM devices WHERE length(secret) = ?1")
                         .bind(1, static_cast<std::int64_t>(sync::DeviceSecret{}.size()))
                         .query_all([](const db::Statement& r) { return std::pair{r.text(0), r.blob(1)}; });
        auto update = hub.prepare("UPDATE devices SET secret = ?2 WHERE id = ?1");
        for (auto& [id, bytes] : plain) {
            sync::DeviceSecret secret{};
            std::copy(bytes.begin(), bytes.end(), secret.begin());
            auto box = sync::seal_device_secret(out.key, id, secret);
            update.bind(1, id).bind_blob(2, box.data(), box.size());
            update.run();
            OPENSSL_cleanse(secret.data(), secret.size());
            OPENSSL_cleanse(bytes.data(), bytes.size());
            ++out.sealed;
        }
        tx.commit();
    }
    if (!sqlite) {
        // PostgreSQL: each UPDATE above wrote a new row version; the old one, with the bare
        // secret, stays in the table's file as a dead tuple until VACUUM (autovacuum, or the
        // administrator's) reclaims its space, and even then the bytes may remain on disk
        // until the page is rewritten. It is also in the WAL and so in any WAL archive or
        // base backup taken meanwhile. VACUUM cannot run inside a transaction and is the
        // database owner's business, so it is not run from here: docs/scale.md asks for a
        // `VACUUM devices` after sealing on a hub that held bare secrets.
        return out;
    }
    if (!secure) hub.exec("PRAGMA secure_delete = OFF");
    // Older copies of the pages (with the bare secrets) may sit in the WAL: copy the pages
    // home and empty it. Best effort: a reader holding the WAL open makes this a no-op, and
    // SQLite removes the WAL when the last connection closes anyway.
    hub.prepare("PRAGMA wal_checkpoint(TRUNCATE)").query_one([](const db::Statement& r) { return r.int64(0); });
    return out;
}

}  // namespace muster::store

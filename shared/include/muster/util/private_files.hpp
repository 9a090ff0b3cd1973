#pragma once
// Files and folders only their owner may read: hub and device databases (with their -wal,
// -shm and -journal files), keys, device folders. A hub database holds the roster's personal
// data and each device's sealed secret; a device folder holds the roster and the device's
// signing secret. Modes are set explicitly, whatever the umask (docs/schema.md, "Files and
// secrets at rest").
#include <filesystem>
#include <optional>
#include <string_view>

namespace muster {

// Creates `dir` and any missing parents with mode 0700, and sets `dir` itself to 0700 even
// when it existed (it is the hub's or the device's own folder). Parents that existed are
// left alone.
void create_private_folder(const std::filesystem::path& dir);

// Creates an empty `file` with mode 0600 unless it exists; true when it was created. Never
// throws: when it cannot (no such folder, no permission) whoever opens the file next reports
// why, in its own terms (the database wrapper as a db::Error).
bool create_private_file(const std::filesystem::path& file) noexcept;

// Writes `bytes` to a new `file` (mode 0600 before the first byte, then fsync). Throws
// std::runtime_error when the file exists or cannot be written.
void write_new_private_file(const std::filesystem::path& file, std::string_view bytes);

// Writes `bytes` to `file` whole or not at all: into a new sibling file (mode 0600, fsync),
// renamed over `file` only once every byte is on disk. A failed export or sheet leaves
// whatever was there before (or nothing), never a partial file. Throws std::runtime_error.
void replace_private_file(const std::filesystem::path& file, std::string_view bytes);

// When `file` exists and group or others may use it, sets it to its owner's bits only
// (0600 for a database) and returns the mode it had; nullopt when there was nothing to do.
// Throws std::filesystem::filesystem_error when the mode cannot be changed (not its owner).
std::optional<unsigned> restrict_to_owner(const std::filesystem::path& file);

}  // namespace muster

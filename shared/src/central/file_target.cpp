#include "file_target.hpp"

#include "muster/util/config_error.hpp"
#include "muster/util/private_files.hpp"
#include "muster/util/uuid.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <ctime>
#include <sstream>
#include <stdexcept>

namespace muster::central::detail {
namespace {

std::string utc_stamp(std::chrono::system_clock::time_point now) {
    std::time_t secs = std::chrono::system_clock::to_time_t(now);
    std::tm tm{};
    gmtime_r(&secs, &tm);
    char text[32];
    std::strftime(text, sizeof text, "%Y%m%dT%H%M%S", &tm);
    return text;
}

// A folder's own entry must reach the disk too, or a power cut after the rename can bring
// back the folder without the file.
void sync_folder(const std::filesystem::path& folder) {
    int fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) throw std::runtime_error("cannot open folder " + folder.string() + ": " + std::strerror(errno));
    bool ok = ::fsync(fd) == 0;
    int saved = errno;
    ::close(fd);
    if (!ok) throw std::runtime_error("cannot sync folder " + folder.string() + ": " + std::strerror(saved));
}

// Proves the folder takes a new file now, instead of at the first delivery (root passes
// access(W_OK) on a read-only mount; a real file does not).
void check_writable(const std::string& target, const std::filesystem::path& folder) {
    const std::string field = "central target " + target + ": folder " + folder.string();
    std::error_code ec;
    if (folder.empty()) throw ConfigError("central target " + target + ": folder is not set");
    if (!std::filesystem::is_directory(folder, ec)) throw ConfigError(field + " is not a folder that exists");
    auto probe = folder / (".muster-probe-" + std::to_string(::getpid()) + ".part");
    try {
        std::filesystem::remove(probe, ec);
        write_new_private_file(probe, "");
    } catch (const std::exception& e) {
        throw ConfigError(field + " is not writable (" + e.what() + ")");
    }
    std::filesystem::remove(probe, ec);
}

}  // namespace

void write_whole_file(const std::filesystem::path& folder, const std::string& name, std::string_view bytes) {
    auto temp = folder / ("." + name + ".part");
    std::error_code ec;
    std::filesystem::remove(temp, ec);
    write_new_private_file(temp, bytes);  // 0600 (the rows are personal data), fsynced
    std::filesystem::rename(temp, folder / name, ec);
    if (ec) {
        std::error_code ignored;
        std::filesystem::remove(temp, ignored);
        throw std::runtime_error("cannot rename " + temp.filename().string() + " to " + name + ": " + ec.message());
    }
    sync_folder(folder);
}

FileTarget::FileTarget(const TargetConfig& config) : name_(config.name), folder_(config.folder) {
    check_writable(name_, folder_);
}

std::vector<DeliveryOutcome> FileTarget::deliver(std::span<const store::DeliveryItem> batch) {
    std::vector<DeliveryOutcome> outcomes(batch.size());
    std::vector<FileRow> rows;
    std::vector<std::size_t> written;  // index in `batch` of each row
    for (std::size_t i = 0; i < batch.size(); ++i) {
        try {
            rows.push_back({&batch[i], parse_central_record(batch[i].payload)});
            written.push_back(i);
        } catch (const std::exception& e) {
            // The parser names the field, never its value: safe to keep for staff.
            outcomes[i].kind = store::DeliveryResult::Kind::rejected;
            outcomes[i].error = std::string("the record cannot be read: ") + e.what();
        }
    }
    if (rows.empty()) return outcomes;

    auto now = std::chrono::system_clock::now();
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
    const std::string batch_id = new_uuid(ms);
    const std::string file = name_ + "-" + utc_stamp(now) + "-" + batch_id + ".csv";
    std::ostringstream text;
    write_rows(text, batch_id, rows);
    std::string error;
    try {
        write_whole_file(folder_, file, text.str());
    } catch (const std::exception& e) {
        error = std::string("file not written, will retry: ") + e.what();
    }
    for (auto i : written) {
        if (error.empty()) {
            outcomes[i].kind = store::DeliveryResult::Kind::delivered;
            outcomes[i].remote_id = file;
        } else {
            outcomes[i].kind = store::DeliveryResult::Kind::retry;
            outcomes[i].error = error;
        }
    }
    return outcomes;
}

}  // namespace muster::central::detail

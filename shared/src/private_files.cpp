#include "muster/util/private_files.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <string>
#include <vector>

namespace muster {
namespace {

[[noreturn]] void fail(const std::string& what, const std::filesystem::path& path) {
    throw std::runtime_error(what + " " + path.string() + ": " + std::strerror(errno));
}

}  // namespace

void create_private_folder(const std::filesystem::path& dir) {
    std::vector<std::filesystem::path> missing;
    for (auto p = dir; !p.empty() && !std::filesystem::exists(p); p = p.parent_path()) {
        missing.push_back(p);
        if (p == p.parent_path()) break;
    }
    std::filesystem::create_directories(dir);
    for (const auto& p : missing) std::filesystem::permissions(p, std::filesystem::perms::owner_all);
    std::filesystem::permissions(dir, std::filesystem::perms::owner_all);
}

bool create_private_file(const std::filesystem::path& file) noexcept {
    int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) return false;
    ::fchmod(fd, 0600);  // exactly 0600, whatever the umask took away
    ::close(fd);
    return true;
}

void write_new_private_file(const std::filesystem::path& file, std::string_view bytes) {
    int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) fail("cannot create", file);
    bool ok = ::fchmod(fd, 0600) == 0;  // before the first byte is written
    for (std::size_t done = 0; ok && done < bytes.size();) {
        ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
        if (n < 0 && errno == EINTR) continue;
        ok = n > 0;
        if (ok) done += static_cast<std::size_t>(n);
    }
    ok = ok && ::fsync(fd) == 0;
    int saved = errno;
    ::close(fd);
    if (!ok) {
        std::filesystem::remove(file);
        errno = saved;
        fail("cannot write", file);
    }
}

void replace_private_file(const std::filesystem::path& file, std::string_view bytes) {
    // A sibling, so the rename stays on one file system; the pid keeps two writers apart.
    auto temp = file;
    temp += ".partial-" + std::to_string(::getpid());
    std::filesystem::remove(temp);
    write_new_private_file(temp, bytes);
    std::error_code ec;
    std::filesystem::rename(temp, file, ec);
    if (ec) {
        std::filesystem::remove(temp);
        errno = ec.value();
        fail("cannot write", file);
    }
}

std::optional<unsigned> restrict_to_owner(const std::filesystem::path& file) {
    struct stat st {};
    if (::lstat(file.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return std::nullopt;
    unsigned mode = st.st_mode & 07777;
    if ((mode & 077) == 0) return std::nullopt;
    std::filesystem::permissions(file, static_cast<std::filesystem::perms>(mode & 0700));
    return mode;
}

}  // namespace muster

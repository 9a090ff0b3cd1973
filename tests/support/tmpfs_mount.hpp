#pragma once
// A small tmpfs mounted on a test's folder, to run out of space on purpose (the full-disk
// tests, docs/durability.md). Needs root (the tests run as root here and in CI); when the
// mount is refused, why_not() says so and the test skips loudly (WARN), never passing
// silently. Unmounted in the destructor whatever happened (lazily: a killed child's open
// files do not keep it mounted). Declare it after the TempDir holding `dir`, so it goes first.
#include <sys/mount.h>
#include <sys/statvfs.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace muster::test {

class TmpfsMount {
public:
    TmpfsMount(const std::filesystem::path& dir, std::size_t kib) : dir_(dir) {
        std::filesystem::create_directories(dir_);
        std::string options = "size=" + std::to_string(kib) + "k,mode=0700";
        if (::mount("tmpfs", dir_.c_str(), "tmpfs", 0, options.c_str()) == 0) mounted_ = true;
        else why_not_ = "mount -t tmpfs -o " + options + " " + dir_.string() + " refused: " + std::strerror(errno);
    }
    ~TmpfsMount() {
        if (mounted_) ::umount2(dir_.c_str(), MNT_DETACH);
    }
    TmpfsMount(const TmpfsMount&) = delete;
    TmpfsMount& operator=(const TmpfsMount&) = delete;

    bool mounted() const { return mounted_; }
    const std::string& why_not() const { return why_not_; }
    const std::filesystem::path& dir() const { return dir_; }
    std::string file(const std::string& name) const { return (dir_ / name).string(); }

    std::uint64_t free_bytes() const {
        struct statvfs s {};
        ::statvfs(dir_.c_str(), &s);
        return std::uint64_t{s.f_bavail} * s.f_frsize;
    }
    // Writes `name` until the volume is full (ENOSPC); returns the bytes written.
    std::uint64_t fill(const std::string& name) const {
        std::vector<char> block(16384, 'x');
        std::FILE* f = std::fopen(file(name).c_str(), "wb");
        if (!f) return 0;
        std::uint64_t written = 0;
        for (;;) {
            std::size_t n = std::fwrite(block.data(), 1, block.size(), f);
            written += n;
            if (n < block.size() || std::fflush(f) != 0) break;
        }
        std::fclose(f);
        // A last few bytes at a time, so not even a part of a page is left.
        for (std::size_t step : {4096u, 512u, 1u}) {
            std::ofstream more(file(name), std::ios::binary | std::ios::app);
            std::string bytes(step, 'y');
            while (more.write(bytes.data(), static_cast<std::streamsize>(bytes.size())) && more.flush()) written += step;
        }
        return written;
    }

private:
    std::filesystem::path dir_;
    bool mounted_ = false;
    std::string why_not_;
};

}  // namespace muster::test

#include "muster/store/database_file.hpp"

#include "muster/db/postgresql.hpp"
#include "muster/store/schema.hpp"

#include <array>
#include <cstdint>
#include <filesystem>
#include <fstream>

namespace muster::store {
namespace {

// The first 100 bytes of every SQLite file (https://sqlite.org/fileformat2.html).
constexpr std::size_t header_size = 100;
constexpr std::string_view magic{"SQLite format 3\0", 16};

std::uint32_t big_endian(const std::array<unsigned char, header_size>& h, std::size_t at, std::size_t bytes) {
    std::uint32_t v = 0;
    for (std::size_t i = 0; i < bytes; ++i) v = (v << 8) | h[at + i];
    return v;
}

[[noreturn]] void damaged(const std::string& path, const std::string& why) { throw DamagedDatabase(path + " " + why); }

// Only these two say the file itself is wrong. Anything else (an I/O error, no room for the
// -shm or -wal beside it on a full disk, a lock) is the machine's state, not the file's: a
// technician told to re-provision would throw away a good database.
constexpr int sqlite_corrupt = 11, sqlite_notadb = 26;

[[noreturn]] void cannot_open(const std::string& path, const db::Error& e) {
    throw db::Error(e.extended_code(), path + " cannot be opened (" + e.what() +
                                           "): check that the disk holding it is not full and can be read; the file "
                                           "itself was not changed");
}

}  // namespace

void check_database_file(const std::string& path) {
    namespace fs = std::filesystem;
    std::error_code ec;
    auto status = fs::status(path, ec);
    if (!fs::exists(status)) damaged(path, "does not exist");
    if (!fs::is_regular_file(status)) damaged(path, "is not a regular file");
    const auto size = fs::file_size(path, ec);
    if (ec) damaged(path, "cannot be read (" + ec.message() + ")");
    // SQLite would take an empty file for a new database and write a fresh schema into it:
    // a device that silently starts again with no roster and no scans.
    if (size == 0) damaged(path, "is empty (0 bytes): it is not a Muster database");
    std::array<unsigned char, header_size> h{};
    std::ifstream in(path, std::ios::binary);
    if (!in) damaged(path, "cannot be read");
    in.read(reinterpret_cast<char*>(h.data()), static_cast<std::streamsize>(h.size()));
    if (size < header_size || std::string_view(reinterpret_cast<const char*>(h.data()), magic.size()) != magic)
        damaged(path, "is not an SQLite database (its first bytes are not SQLite's header): damaged or overwritten");
    // Page size: a power of two from 512 to 32768, or 1 meaning 65536.
    std::uint32_t page = big_endian(h, 16, 2);
    if (page == 1) page = 65536;
    if (page < 512 || (page & (page - 1)) != 0) damaged(path, "has a damaged header (page size " + std::to_string(page) + ")");
    if (size % page != 0)
        damaged(path, "is truncated: " + std::to_string(size) + " bytes is not a whole number of its " + std::to_string(page) +
                          "-byte pages");
    // The page count in the header is valid when the change counter matches the
    // version-valid-for number (SQLite 3.7.0 and later always write both).
    const std::uint32_t pages = big_endian(h, 28, 4);
    if (big_endian(h, 24, 4) == big_endian(h, 92, 4) && pages > 0 && size < std::uint64_t{pages} * page)
        damaged(path, "is truncated: it holds " + std::to_string(size / page) + " of its " + std::to_string(pages) + " pages");
}

std::unique_ptr<db::Database> open_existing_database(const std::string& path, IntegrityCheck check) {
    if (db::is_postgresql_url(path)) return open_database(path);
    check_database_file(path);
    try {
        // A read-only connection: it never checkpoints a -wal into the file on close, so a
        // file that fails here is left exactly as it was found.
        db::Database probe(path, db::OpenMode::read_only);
        auto one_int = [](const db::Statement& r) { return r.int64(0); };
        if (probe.prepare("PRAGMA user_version").query_one(one_int).value_or(0) <= 0)
            damaged(path, "holds no Muster schema (an empty or foreign SQLite database)");
        if (check == IntegrityCheck::quick_check) {
            auto s = probe.prepare("PRAGMA quick_check(3)");
            std::string problems;
            s.for_each_row([&](const db::Statement& r) {
                auto line = r.text(0);
                for (char& c : line)
                    if (c == '\n') c = ' ';  // one log line
                if (line != "ok") problems += (problems.empty() ? "" : "; ") + line;
            });
            if (!problems.empty()) damaged(path, "fails SQLite's integrity check (" + problems + ")");
        }
    } catch (const db::Error& e) {
        if (e.code() == sqlite_corrupt || e.code() == sqlite_notadb)
            damaged(path, std::string("cannot be read as a database (") + e.what() + ")");
        cannot_open(path, e);
    }
    try {
        return open_database(path, db::OpenMode::read_write);
    } catch (const db::Error& e) {
        if (e.code() == sqlite_corrupt || e.code() == sqlite_notadb) damaged(path, std::string("is damaged (") + e.what() + ")");
        cannot_open(path, e);
    }
}

}  // namespace muster::store

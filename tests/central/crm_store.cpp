#include "crm_store.hpp"

#include <boost/json.hpp>

#include <fstream>
#include <sstream>
#include <stdexcept>

#include <unistd.h>

namespace muster::test::crm {

RecordStore::RecordStore(std::string path) : path_(std::move(path)) {
    std::string text;
    {
        std::ifstream in(path_, std::ios::binary);
        std::stringstream ss;
        ss << in.rdbuf();
        text = ss.str();
    }
    // A line without its newline was cut by a kill mid-write: drop it (its request was never
    // answered, so the client sends it again).
    std::size_t keep = text.rfind('\n');
    keep = keep == std::string::npos ? 0 : keep + 1;
    if (keep != text.size() && ::truncate(path_.c_str(), static_cast<off_t>(keep)) != 0 && !text.empty())
        throw std::runtime_error("cannot cut the store's torn last line");
    std::size_t at = 0;
    while (at < keep) {
        std::size_t end = text.find('\n', at);
        auto line = boost::json::parse(std::string_view(text).substr(at, end - at)).as_object();
        ids_.emplace(std::string(line.at("key").as_string()), std::string(line.at("id").as_string()));
        at = end + 1;
    }
    file_ = std::fopen(path_.c_str(), "ab");
    if (!file_) throw std::runtime_error("cannot open the store " + path_);
}

RecordStore::~RecordStore() {
    if (file_) std::fclose(file_);
}

void RecordStore::append(const std::string& line) {
    std::string out = line + "\n";
    if (std::fwrite(out.data(), 1, out.size(), file_) != out.size()) throw std::runtime_error("store write failed");
}

void RecordStore::sync() {
    if (std::fflush(file_) != 0 || ::fsync(::fileno(file_)) != 0) throw std::runtime_error("store fsync failed");
}

}  // namespace muster::test::crm

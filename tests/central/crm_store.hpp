#pragma once
// The stand-in CRM's store (tests/central/crm_stand_in.cpp): every accepted record as one JSON
// line in an append-only file, keyed by its idempotency key. A key seen before is a duplicate:
// answered with the id it got the first time and not written again. The file is read back at
// start, so a stand-in restarted on the same file (after a SIGKILL) still knows every key; a
// torn last line (killed mid-write) is cut off, never appended to.
#include <cstddef>
#include <cstdio>
#include <string>
#include <unordered_map>

namespace muster::test::crm {

class RecordStore {
public:
    explicit RecordStore(std::string path);
    ~RecordStore();
    RecordStore(const RecordStore&) = delete;
    RecordStore& operator=(const RecordStore&) = delete;

    struct Added {
        std::string id;
        bool duplicate = false;
    };
    // `line_json` is the whole line to store (one JSON object, no newline) once the id is known:
    // made by `make_line(id)`.
    template <class MakeLine>
    Added add(const std::string& key, MakeLine make_line) {
        if (auto it = ids_.find(key); it != ids_.end()) return {it->second, true};
        std::string id = "crm-" + std::to_string(ids_.size() + 1);
        append(make_line(id));
        ids_.emplace(key, id);
        return {id, false};
    }
    // Makes what add() appended since the last call durable (one fsync per request).
    void sync();
    std::size_t size() const { return ids_.size(); }

private:
    void append(const std::string& line);
    std::string path_;
    std::FILE* file_ = nullptr;
    std::unordered_map<std::string, std::string> ids_;  // idempotency key → id
};

}  // namespace muster::test::crm

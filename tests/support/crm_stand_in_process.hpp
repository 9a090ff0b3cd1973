#pragma once
// The stand-in CRM (tests/central/crm_stand_in.cpp) as a child process, for the delivery tests
// and the drain bench: started with its options, its port read from the line it prints, its
// /stats read, killed with SIGKILL (a receiver that goes away) and started again on the same
// port and store.
#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <sys/types.h>

namespace muster::test {

struct StandInStats {
    std::uint64_t requests = 0, records = 0, stored = 0, duplicates = 0, rejected = 0, slow = 0;
    std::map<int, std::uint64_t> status;  // replies to deliveries by HTTP status
    bool reached = false;                 // false: no reply (the stand-in is down)
};

// One line of the stand-in's store file.
struct StoredRecord {
    std::string key, id;
    std::string record_id;
    int version = 0;
    bool correction = false;
    std::string last_name;
};

class StandInProcess {
public:
    // `args`: the stand-in's options but --port and --store. port 0: any free port.
    StandInProcess(std::string store, std::vector<std::string> args, unsigned short port = 0);
    ~StandInProcess();
    StandInProcess(const StandInProcess&) = delete;
    StandInProcess& operator=(const StandInProcess&) = delete;

    unsigned short port() const { return port_; }
    void kill_hard();   // SIGKILL, then reaps
    void restart();     // the same options, port and store
    StandInStats stats() const;
    // POST /control (e.g. R"({"reject_last_name":""})"); true on 200.
    bool control(const std::string& json) const;

    static std::string binary();

private:
    void start();
    std::string store_;
    std::vector<std::string> args_;
    unsigned short port_ = 0;
    pid_t pid_ = -1;
    int runs_ = 0;
};

// Every line of a stand-in store file, in the order stored.
std::vector<StoredRecord> read_stand_in_store(const std::string& path);

}  // namespace muster::test

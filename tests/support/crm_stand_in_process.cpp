#include "crm_stand_in_process.hpp"

#include "child_exit.hpp"
#include "http_probe.hpp"
#include "server_process.hpp"

#include <boost/json.hpp>

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <fstream>
#include <stdexcept>
#include <thread>

namespace muster::test {

namespace json = boost::json;

std::string StandInProcess::binary() { return std::string(MUSTER_BINARY_DIR) + "/tests/support/muster-crm-stand-in"; }

StandInProcess::StandInProcess(std::string store, std::vector<std::string> args, unsigned short port)
    : store_(std::move(store)), args_(std::move(args)), port_(port) {
    start();
}

StandInProcess::~StandInProcess() { kill_hard(); }

void StandInProcess::start() {
    std::string out = store_ + ".port" + std::to_string(++runs_);
    std::vector<std::string> argv = {binary(), "--store", store_, "--port", std::to_string(port_)};
    argv.insert(argv.end(), args_.begin(), args_.end());
    pid_ = ::fork();
    if (pid_ < 0) throw std::runtime_error("fork failed");
    if (pid_ == 0) {
        int fd = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (fd >= 0) ::dup2(fd, 1);
        int err = ::open((store_ + ".log").c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
        if (err >= 0) ::dup2(err, 2);
        std::vector<char*> raw;
        for (auto& a : argv) raw.push_back(a.data());
        raw.push_back(nullptr);
        ::execv(raw[0], raw.data());
        ::_exit(127);
    }
    ::signal(SIGPIPE, SIG_IGN);
    // The stand-in prints {"port":N} once it listens.
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (std::chrono::steady_clock::now() < deadline) {
        std::string text = read_text_file(out);
        if (text.find('\n') != std::string::npos) {
            port_ = static_cast<unsigned short>(json::parse(text).as_object().at("port").to_number<int>());
            return;
        }
        if (wait_for_exit(pid_, std::chrono::milliseconds(0))) {
            pid_ = -1;
            throw std::runtime_error("muster-crm-stand-in exited at start: " + read_text_file(store_ + ".log"));
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    kill_hard();
    throw std::runtime_error("muster-crm-stand-in did not start listening within 20 s");
}

void StandInProcess::kill_hard() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGKILL);
    wait_for_exit(pid_, std::chrono::seconds(10));
    pid_ = -1;
}

void StandInProcess::restart() {
    kill_hard();
    start();
}

StandInStats StandInProcess::stats() const {
    StandInStats s;
    auto reply = http_request(port_, "GET", "/stats", "", {}, std::chrono::seconds(5));
    if (reply.status != 200) return s;
    auto o = json::parse(reply.body).as_object();
    auto n = [&](const char* k) { return o.at(k).to_number<std::uint64_t>(); };
    s.requests = n("requests"), s.records = n("records"), s.stored = n("stored"), s.duplicates = n("duplicates");
    s.rejected = n("rejected"), s.slow = n("slow");
    for (const auto& [code, count] : o.at("status").as_object())
        s.status[std::stoi(std::string(code))] = count.to_number<std::uint64_t>();
    s.reached = true;
    return s;
}

bool StandInProcess::control(const std::string& body) const {
    return http_request(port_, "POST", "/control", body, {}, std::chrono::seconds(5)).status == 200;
}

std::vector<StoredRecord> read_stand_in_store(const std::string& path) {
    std::vector<StoredRecord> out;
    std::ifstream f(path);
    std::string line;
    while (std::getline(f, line)) {
        auto o = json::parse(line).as_object();
        StoredRecord r;
        r.key = std::string(o.at("key").as_string());
        r.id = std::string(o.at("id").as_string());
        const auto& rec = o.at("record").as_object();
        if (auto* v = rec.if_contains("record_id"); v && v->is_string()) r.record_id = std::string(v->as_string());
        if (auto* v = rec.if_contains("version"); v && v->is_number()) r.version = v->to_number<int>();
        if (auto* v = rec.if_contains("correction"); v && v->is_bool()) r.correction = v->as_bool();
        if (auto* v = rec.if_contains("last_name"); v && v->is_string()) r.last_name = std::string(v->as_string());
        out.push_back(std::move(r));
    }
    return out;
}

}  // namespace muster::test

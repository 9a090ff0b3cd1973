#pragma once
// An in-memory SyncStore for testing the router (SyncApi) without SQLite or sockets: devices,
// nonces and stored records in maps, following the contract in sync_store.hpp. `fail_with`
// makes every call throw db::Error, as SQLite does when the hub database is locked.
#include "sync_store.hpp"

#include "muster/db/database.hpp"

#include <map>
#include <set>
#include <utility>
#include <vector>

namespace muster::test {

class MemorySyncStore final : public server::SyncStore {
public:
    std::map<std::string, server::DeviceRecord> devices;
    std::set<std::pair<std::string, std::string>> nonces;  // (device, nonce)
    std::map<std::string, CheckIn> check_ins;              // by uuid
    std::vector<std::string> arrival;                      // uuids in arrival order; index + 1 is the sync_seq
    std::map<std::string, sync::SatisfactionAnswer> answers;  // by uuid
    std::optional<int> fail_with;                          // an SQLite extended code to throw
    bool is_healthy = true;

    std::optional<server::DeviceRecord> find_device(const std::string& id) override {
        check();
        auto it = devices.find(id);
        if (it == devices.end()) return std::nullopt;
        return it->second;
    }

    bool remember_nonce(const std::string& device_id, const std::string& nonce, TimeMs) override {
        check();
        return nonces.emplace(device_id, nonce).second;
    }

    sync::UploadReply ingest(const server::DeviceRecord& device, const sync::UploadBatch& batch, TimeMs now,
                             const std::string& nonce) override {
        check();
        if (!nonce.empty() && !nonces.emplace(device.id, nonce).second) throw server::ReplayedRequest();
        sync::UploadReply reply;
        reply.server_time_ms = now;
        reply.clock_skew_ms = batch.device_time_ms - now;
        reply.clock_flagged = std::llabs(reply.clock_skew_ms) > sync::clock_skew_flag_ms;
        for (const auto& c : batch.check_ins) {
            if (c.device_id != device.id || c.event_id != device.event_id) {
                reply.rejected.push_back({c.uuid, "not this device's record", sync::RejectionCode::not_this_device});
                continue;
            }
            if (check_ins.emplace(c.uuid, c).second) arrival.push_back(c.uuid);
            reply.acked.push_back(c.uuid);
        }
        for (const auto& a : batch.satisfaction) {
            if (a.event_id != device.event_id) {
                reply.rejected.push_back({a.uuid, "not this device's event", sync::RejectionCode::wrong_event});
                continue;
            }
            answers.emplace(a.uuid, a);
            reply.acked.push_back(a.uuid);
        }
        return reply;
    }

    sync::Changes changes_since(const server::DeviceRecord& device, std::int64_t since, TimeMs now) override {
        check();
        sync::Changes changes;
        changes.server_time_ms = now;
        changes.cursor = static_cast<std::int64_t>(arrival.size());
        if (since > changes.cursor) since = 0;  // a cursor from the future: everything again
        for (auto seq = static_cast<std::size_t>(since); seq < arrival.size(); ++seq) {
            const auto& c = check_ins.at(arrival[seq]);
            if (c.device_id != device.id && c.event_id == device.event_id) changes.check_ins.push_back(c);
        }
        return changes;
    }

    bool healthy() override { return is_healthy; }
    std::int64_t latest_change() override { return static_cast<std::int64_t>(arrival.size()); }

private:
    void check() const {
        if (fail_with) throw db::Error(*fail_with, "database is locked");
    }
};

}  // namespace muster::test

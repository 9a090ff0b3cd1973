#include "headless_kiosk.hpp"

#include "device_inputs.hpp"
#include "kiosk_log.hpp"
#include "kiosk_station.hpp"
#include "scan_image.hpp"
#include "scan_lines.hpp"
#include "scan_queue.hpp"
#include "scan_report.hpp"

#include "muster/db/database.hpp"
#include "muster/store/database_file.hpp"
#include "muster/time/uk_time.hpp"

#include <poll.h>
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <memory>

namespace muster::kiosk {
namespace {

std::atomic<bool> stop_requested{false};
void on_signal(int) { stop_requested = true; }

void emit(const std::string& json) {
    std::fwrite(json.data(), 1, json.size(), stdout);
    std::fputc('\n', stdout);
    std::fflush(stdout);
}

// The station commits the scan, then tells the hub sync. A scan it could not commit (a
// full disk) gets the red "not recorded" answer and a log line (the input and SQLite's code,
// nothing from the badge), and the kiosk carries on: the next scan may well be recorded
// (space freed), and the person can scan again. Returns false for such a scan.
// After the roster purge a scan is answered, not recorded (docs/privacy.md).
bool handle_and_emit(KioskStation& station, const RawScan& scan, log::Logger& log) {
    if (station.roster_removed()) {
        emit(scan_failure_json("roster_removed", "This kiosk's event is over: its roster has been removed"));
        return true;
    }
    try {
        emit(scan_report_json(station.handle(scan), scan.input));
        return true;
    } catch (const db::Error& e) {
        log.error("scan_not_recorded", {{"input", to_string(scan.input)}, {"sqlite_code", e.extended_code()}, {"error", e.what()}});
        emit(scan_failure_json(not_recorded_outcome, not_recorded_reason(e)));
        return false;
    }
}

// A purge is logged with counts only (no one's name).
void log_purge(log::Logger& log, const store::RosterPurge& p) {
    log.notice("roster_purged", {{"people", p.people}, {"records_kept", p.records_kept}, {"vacuumed", p.vacuumed}});
}

// Logs the sync state when it changes (ids and counts, no personal data), and a move to
// another of the device file's servers (indexes in server.url, from 0).
class SyncWatcher {
public:
    explicit SyncWatcher(log::Logger& log) : log_(log) {}
    void update(const SyncStatus& st) {
        if (st.server != server_) {
            log_.warn("sync_server_switched", {{"from", server_}, {"to", st.server}, {"servers", st.servers}});
            server_ = st.server;
        }
        auto key = std::make_tuple(st.online, st.revoked, st.queued == 0, st.rejected, st.clock_flagged);
        if (key == last_) return;
        last_ = key;
        log_sync_status(log_, st);
    }

private:
    log::Logger& log_;
    std::tuple<bool, bool, bool, std::size_t, bool> last_{false, false, true, 0, false};
    std::size_t server_ = 0;
};

// Logs source state changes ("NFC reader" ready / unavailable, with the source's sentence).
class StatusPrinter {
public:
    explicit StatusPrinter(log::Logger& log) : log_(log) {}
    void update(const ScanQueue& queue) {
        for (const auto& [kind, status] : queue.statuses()) {
            auto& last = last_[kind];
            if (last == std::pair{status.state, status.message}) continue;
            last = {status.state, status.message};
            log_input_status(log_, kind, status);
        }
    }

private:
    log::Logger& log_;
    std::map<InputKind, std::pair<SourceState, std::string>> last_;
};

}  // namespace

int run_headless(const HeadlessOptions& options, log::Logger& log) {
    std::signal(SIGTERM, on_signal);
    std::signal(SIGINT, on_signal);
    std::signal(SIGPIPE, SIG_IGN);
    auto started = std::chrono::steady_clock::now();
    std::unique_ptr<KioskStation> station;
    DeviceConfig config;
    try {
        config = load_device_config(options.config);
        station = std::make_unique<KioskStation>(config);
        if (station->trns_hashed_at_start() > 0)
            log.notice("trns_hashed", {{"count", static_cast<std::int64_t>(station->trns_hashed_at_start())}});
        if (const auto& purge = station->purged_at_start()) log_purge(log, *purge);
        station->start_sync();
    } catch (const store::DamagedDatabase& e) {
        // Missing, empty, garbage, truncated, failing quick_check: named, left as found.
        log.error("device_database_unusable", {{"error", e.what()}});
        return 2;
    } catch (const std::exception& e) {
        // The message names the file and field (never a person): the device file is wrong.
        log.error("config_error", {{"error", e.what()}});
        return 2;
    }
    SyncWatcher sync_watch(log);

    ScanQueue queue;
    auto sources = device_inputs(config, log);
    for (auto& s : sources) s->start(queue);

    const Session& session = station->session();
    auto ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
    log.notice("ready", {{"mode", "headless"}, {"ms", static_cast<std::int64_t>(ms + 0.5)}, {"device", config.device_id},
                         {"event_id", static_cast<std::int64_t>(station->event().id)}, {"session", session.name},
                         {"starts", uk_time::format_hhmm(session.starts_ms)}, {"ends", uk_time::format_hhmm(session.ends_ms)},
                         {"direction", to_string(config.direction)}, {"stdin", config.wedge}, {"nfc", config.nfc},
                         {"camera", config.camera}});

    int exit_code = 0;
    StatusPrinter status(log);
    try {
        for (const auto& image : options.scan_images) {
            try {
                auto code = camera::scan_image_file(image);
                if (!code) {
                    emit(scan_failure_json("no_code", "No QR code found in " + image.string()));
                    continue;
                }
                if (!handle_and_emit(*station, RawScan{InputKind::camera, code->text, "", std::chrono::steady_clock::now()}, log))
                    exit_code = 3;
            } catch (const camera::ImageFileError& e) {
                emit(scan_failure_json("error", e.what()));
                exit_code = 1;
            }
        }

        ScanLines lines;
        bool stdin_open = config.wedge;
        auto on_line = [&](const std::string& line) {
            if (!handle_and_emit(*station, RawScan{InputKind::wedge, line, "", std::chrono::steady_clock::now()}, log))
                exit_code = 3;
        };
        std::string purge_error;
        while (!stop_requested) {
            for (const auto& scan : queue.drain())
                if (!handle_and_emit(*station, scan, log)) exit_code = 3;
            status.update(queue);
            if (auto purge = station->follow_privacy(uk_time::now_ms())) log_purge(log, *purge);
            if (station->privacy_error() != purge_error) {  // once per new reason, not every round
                purge_error = station->privacy_error();
                if (!purge_error.empty()) log.warn("roster_purge_failed", {{"error", purge_error}});
            }
            station->follow_hub();
            if (auto st = station->sync_status()) sync_watch.update(*st);
            if (!stdin_open && !options.keep_running) break;
            pollfd in{STDIN_FILENO, POLLIN, 0};
            int ready = ::poll(&in, stdin_open ? 1 : 0, 50);
            if (ready > 0 && (in.revents & (POLLIN | POLLHUP | POLLERR))) {
                char buf[4096];
                ssize_t n = ::read(STDIN_FILENO, buf, sizeof buf);
                if (n > 0) {
                    lines.feed(buf, static_cast<std::size_t>(n), on_line);
                } else {
                    lines.finish(on_line);
                    stdin_open = false;
                }
            }
        }
        for (const auto& scan : queue.drain())
            if (!handle_and_emit(*station, scan, log)) exit_code = 3;
    } catch (const db::Error& e) {
        // Not a scan's write (those are answered above): the loop's own reads failed.
        log.error("store_error", {{"sqlite_code", e.extended_code()}, {"error", e.what()}});
        exit_code = 3;
    }
    for (auto& s : sources) s->stop();
    // A kiosk closing down hands over what it can in the time it has; anything left is
    // still in the outbox and goes at the next start.
    if (!stop_requested && !station->hand_over(std::chrono::seconds(3)))
        log_sync_status(log, *station->sync_status());
    return exit_code;
}

}  // namespace muster::kiosk

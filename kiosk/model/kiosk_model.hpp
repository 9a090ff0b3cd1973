#pragma once
// What the kiosk window shows and what staff can do, with no ImGui call and no GLFW: the
// screens read this and post intents to it (STYLE.md: model and view apart). Scans from
// every input arrive through the ScanQueue and are decided and committed here, on the UI
// thread, before the result screen shows them.
#include "device_config.hpp"
#include "kiosk_station.hpp"

#include <utility>
#include "satisfaction_question.hpp"
#include "scan_queue.hpp"

#include "muster/store/check_in_store.hpp"

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace muster::kiosk {

// question: the satisfaction question after a check-out at an exit kiosk; thanks: its
// brief thank-you (docs/satisfaction.md).
enum class Screen { ready, result, question, thanks, staff_pin, staff };

// How a result looks: the colour is never alone (icon and words too).
enum class Tone { welcome, attention, refused };
Tone tone_of(Outcome outcome);
// Short words for staff ("already checked in").
std::string_view label_of(Outcome outcome);

// The register's name for someone whose genuine badge was scanned here but whom this device
// does not hold (it holds only its event's people).
inline constexpr const char* unlisted_visitor = "Not on this event's list";

struct RoomRegisterRow {
    std::string public_name;
    std::string time;  // "09:02" or "" if not here yet
    bool expected = true;
};

// A record in the outbox, as the staff screen lists it.
struct UnsyncedRow {
    std::string time;     // "09:02"
    std::string what;     // "checked in", "void", ...
    std::string who;      // public name, or "" for an unknown badge
    std::string uuid;
    int attempts = 0;
    std::string problem;  // the last error or the hub's refusal, if any
};

class KioskModel {
public:
    using Clock = std::chrono::steady_clock;
    static constexpr auto result_time = std::chrono::seconds(4);
    // At an exit kiosk the goodbye shows this long before the satisfaction question.
    static constexpr auto goodbye_time = std::chrono::milliseconds(1500);
    static constexpr auto thanks_time = std::chrono::seconds(2);

    // Starts the station's hub sync when the device file names a server (throws ConfigError
    // when its secret or certificate cannot be read).
    KioskModel(DeviceConfig config, ScanQueue& queue);
    ~KioskModel();

    // Once a frame: takes queued scans from every input (the wedge scanner's too), decides
    // and commits each, and returns from the result screen after a while.
    void tick(Clock::time_point now);

    Screen screen() const { return screen_; }
    const DeviceConfig& config() const { return config_; }
    KioskStation& station() { return station_; }
    const std::optional<checkin::ScanResult>& last_result() const { return last_; }
    // The scan on the result screen could not be recorded (a full disk): the red answer's
    // words (scan_report.hpp, not_recorded_reason), with no last_result(). Cleared by the
    // next scan that is recorded.
    const std::optional<std::string>& not_recorded() const { return not_recorded_; }
    // Scans that could not be recorded since the start (the window logs each).
    std::uint64_t scans_not_recorded() const { return scans_not_recorded_; }
    // The last such failure's SQLite code and message (no personal data), for the log.
    const std::string& last_store_error() const { return last_store_error_; }
    // Goes up by one with every result shown (the window chimes on a change).
    std::uint64_t results_shown() const { return results_shown_; }
    // Staff screens take the keyboard; elsewhere its keys are the wedge scanner's.
    bool staff_open() const { return screen_ == Screen::staff_pin || screen_ == Screen::staff; }
    std::map<InputKind, SourceStatus> input_statuses() const { return queue_.statuses(); }

    // The satisfaction question (Screen::question). Whoever answers, the answer is stored
    // with the event and session only: these take no person, and the question holds none.
    // Keys from the window (1/2/3, arrows, Enter, Esc; any other key too, for the scanner
    // rule in satisfaction_question.hpp).
    void question_key(QuestionKey key, Clock::time_point at) { question_.key(key, at); }
    // A tap on Agree / Not sure / Disagree: stored at the next tick.
    void answer_question(SatisfactionAnswerKind answer) { question_.choose(answer); }
    void skip_question() { question_.close(); }  // Skip: back to ready at the next tick, nothing stored
    std::optional<SatisfactionAnswerKind> question_highlight() const { return question_.highlighted(); }
    // Whether an exit kiosk asks at all (device file; also false at an entry kiosk).
    bool asks_question() const;

    // Staff.
    void open_staff();  // asks for the PIN
    bool enter_pin(const std::string& pin);  // true and opens the staff screen if right
    void close_staff();
    struct Counts {
        std::size_t checked_in = 0, expected = 0, unsynced = 0, rejected = 0;
    };
    const Counts& counts();
    const std::vector<Participant>& search(const std::string& query);
    std::string manual_check_in(ParticipantId id, const std::string& reason, const std::string& staff);
    std::string void_last(const std::string& reason, const std::string& staff);
    void switch_session(SessionId id);
    void toggle_direction();
    const std::vector<RoomRegisterRow>& room_register();
    // The newest records still waiting for the hub, newest first.
    const std::vector<UnsyncedRow>& unsynced(std::size_t limit);
    // The hub sync's state for staff, when the device file names a server.
    std::optional<SyncStatus> sync_status() const;
    // A roster purge made by the last tick (docs/privacy.md), once, for the window to log.
    std::optional<store::RosterPurge> take_purge() { return std::exchange(purge_, std::nullopt); }
    bool quit_requested() const { return quit_; }
    void request_quit() { quit_ = true; }
    const std::string& staff_message() const { return staff_message_; }

private:
    // Screens are drawn 20 times a second; what they read from the database is read again
    // only when it may have changed: a write on this connection (the desk's scans and
    // corrections), a commit by another one (PRAGMA data_version: a sync process), another
    // session or direction, or another question (search text, list length).
    struct ReadKey {
        std::int64_t own_changes = -1;
        std::int64_t others = -1;
        SessionId session = 0;
        Direction direction = Direction::entry;
        std::string question;
        bool operator==(const ReadKey&) const = default;
    };
    template <class T>
    struct CachedRead {
        ReadKey key;
        std::optional<T> value;
    };
    ReadKey read_key(std::string question);
    template <class T, class Read>
    const T& cached(CachedRead<T>& cache, std::string question, Read&& read) {
        auto key = read_key(std::move(question));
        if (!cache.value || !(cache.key == key)) {
            cache.value = read();
            cache.key = std::move(key);
        }
        return *cache.value;
    }
    Counts read_counts();
    std::vector<RoomRegisterRow> read_room_register();
    std::vector<UnsyncedRow> read_unsynced(std::size_t limit);

    void show(checkin::ScanResult result, Clock::time_point now);
    void show_not_recorded(const db::Error& error, Clock::time_point now);
    void follow_question(Clock::time_point now);

    DeviceConfig config_;
    ScanQueue& queue_;
    KioskStation station_;
    Screen screen_ = Screen::ready;
    std::optional<checkin::ScanResult> last_;
    std::optional<std::string> not_recorded_;
    std::uint64_t scans_not_recorded_ = 0;
    std::string last_store_error_;
    Clock::time_point shown_at_{};
    std::uint64_t results_shown_ = 0;
    bool question_due_ = false;  // the result on screen is a check-out the question follows
    SatisfactionQuestion question_;
    Clock::time_point thanks_at_{};
    int pin_failures_ = 0;
    std::string staff_message_;
    bool quit_ = false;
    std::optional<store::RosterPurge> purge_;
    CachedRead<Counts> counts_;
    CachedRead<std::vector<Participant>> search_;
    CachedRead<std::vector<RoomRegisterRow>> register_;
    CachedRead<std::vector<UnsyncedRow>> unsynced_;
};

}  // namespace muster::kiosk

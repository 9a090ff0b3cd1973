// The windowed kiosk program: the device file, the model, the window, the inputs and the
// chimes, and the frame loop. Nothing here includes GLFW (glfw_backend.cpp does).
#include "kiosk_window.hpp"

#include "device_inputs.hpp"
#include "glfw_backend.hpp"
#include "keyboard_wedge_source.hpp"
#include "kiosk_model.hpp"
#include "kiosk_view.hpp"
#include "scripted_source.hpp"
#include "sound_player.hpp"

#include "muster/store/database_file.hpp"

#include <atomic>
#include <charconv>
#include <csignal>
#include <memory>
#include <optional>

namespace muster::kiosk {
namespace {

std::atomic<bool> stop_requested{false};
void on_signal(int) { stop_requested = true; }

// Hands scans and statuses on to the queue and wakes the frame loop at once, so a scan is
// decided and shown within a frame of arriving rather than at the next 50 ms tick.
class WakingSink final : public ScanSink {
public:
    explicit WakingSink(ScanQueue& queue) : queue_(queue) {}
    void on_scan(RawScan scan) override {
        queue_.on_scan(std::move(scan));
        GlfwBackend::wake();
    }
    void on_status(SourceStatus status) override {
        queue_.on_status(std::move(status));
        GlfwBackend::wake();
    }

private:
    ScanQueue& queue_;
};

Chime chime_for(Tone tone) {
    switch (tone) {
        case Tone::welcome: return Chime::accepted;
        case Tone::attention: return Chime::attention;
        case Tone::refused: return Chime::refused;
    }
    return Chime::attention;
}

}  // namespace

int run_window(const WindowOptions& options, log::Logger& log) {
    std::signal(SIGTERM, on_signal);
    std::signal(SIGINT, on_signal);
    auto started = std::chrono::steady_clock::now();
    DeviceConfig config;
    ScanQueue queue;
    std::unique_ptr<KioskModel> model;
    std::unique_ptr<GlfwBackend> backend;
    std::unique_ptr<KioskView> view;
    try {
        config = load_device_config(options.config);
        model = std::make_unique<KioskModel>(config, queue);
        backend = std::make_unique<GlfwBackend>(WindowSetup{config.width, config.height, config.fullscreen});
        view = std::make_unique<KioskView>(*model, static_cast<float>(backend->height()));
        // What the start did to the roster at rest (docs/privacy.md): counts only.
        if (auto n = model->station().trns_hashed_at_start(); n > 0)
            log.notice("trns_hashed", {{"count", static_cast<std::int64_t>(n)}});
        if (const auto& p = model->station().purged_at_start())
            log.notice("roster_purged", {{"people", p->people}, {"records_kept", p->records_kept}, {"vacuumed", p->vacuumed}});
    } catch (const store::DamagedDatabase& e) {
        // Missing, empty, garbage, truncated, failing quick_check: named, left as found.
        log.error("device_database_unusable", {{"error", e.what()}});
        return 2;
    } catch (const std::exception& e) {
        // The device file's field, a missing font or no display: never a person.
        log.error("config_error", {{"error", e.what()}});
        return 2;
    }

    // The scanner types into the window; while staff use the keyboard, its keys are theirs.
    // While the satisfaction question is up, every key press goes to it too: it tells a
    // person's lone "2" from the same digit inside a scanner's burst (satisfaction_question.hpp).
    WakingSink sink(queue);
    KeyboardWedgeSource wedge;
    GlfwBackend::Keys keys;
    keys.pressed = [&](PressedKey k, GlfwBackend::Clock::time_point at) {
        if (model->screen() == Screen::question) model->question_key(question_key_of(k), at);
    };
    if (config.wedge) {
        keys.character = [&](std::string_view c, GlfwBackend::Clock::time_point at) {
            if (!model->staff_open()) wedge.key(c, at);
        };
        keys.enter = [&](GlfwBackend::Clock::time_point at) {
            if (!model->staff_open()) wedge.enter(at);
        };
        wedge.start(sink);
    }
    backend->set_keys(std::move(keys));
    auto sources = device_inputs(config, log);
    if (options.scripted_stdin) sources.push_back(std::make_unique<ScriptedSource>(0));
    for (auto& s : sources) s->start(sink);
    std::optional<SoundPlayer> sound;
    if (config.sound) sound.emplace(ChimeSounds::load(config.sounds, log), log);

    int exit_code = 0;
    bool first_frame = true;
    std::uint64_t chimed = 0;
    std::uint64_t not_recorded = 0;
    while (!backend->close_requested() && !model->quit_requested() && !stop_requested) {
        // ~20 frames a second at most: a kiosk idles cheaply; keys and scans wake it sooner.
        backend->wait_events(std::chrono::milliseconds(first_frame ? 0 : 50));
        try {
            model->tick(std::chrono::steady_clock::now());
        } catch (const std::exception& e) {
            // Not a scan's write (a scan that cannot be recorded gets the red answer and the
            // kiosk carries on): the database cannot be read at all. Stop loudly.
            log.error("store_error", {{"error", e.what()}});
            exit_code = 3;
            break;
        }
        if (auto p = model->take_purge())
            log.notice("roster_purged", {{"people", p->people}, {"records_kept", p->records_kept}, {"vacuumed", p->vacuumed}});
        if (model->scans_not_recorded() != not_recorded) {
            not_recorded = model->scans_not_recorded();
            log.error("scan_not_recorded", {{"error", model->last_store_error()}});
        }
        if (sound && model->results_shown() != chimed) {
            if (model->not_recorded()) sound->play(chime_for(Tone::refused));
            else if (model->last_result()) sound->play(chime_for(tone_of(model->last_result()->decision.outcome)));
        }
        chimed = model->results_shown();

        backend->begin_frame();
        view->draw();
        auto bg = KioskView::background();
        backend->end_frame(bg.x, bg.y, bg.z);
        bool shoot = !options.screenshot.empty() && model->screen() == options.screenshot_when.screen &&
                     model->results_shown() >= options.screenshot_when.results;
        if (shoot) {
            if (!write_png(options.screenshot.string(), backend->read_pixels())) exit_code = 1;
        } else {
            backend->present();
        }
        // Said even when the first frame is the screenshot (a slow start under load).
        if (first_frame) {
            auto ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
            log.notice("ready", {{"mode", "window"}, {"ms", static_cast<std::int64_t>(ms + 0.5)}, {"width", backend->width()},
                                 {"height", backend->height()}, {"device", config.device_id}});
            first_frame = false;
        }
        if (shoot) break;
    }
    wedge.stop();
    for (auto& s : sources) s->stop();
    return exit_code;
}

QuestionKey question_key_of(PressedKey key) {
    switch (key) {
        case PressedKey::one: return QuestionKey::agree;
        case PressedKey::two: return QuestionKey::not_sure;
        case PressedKey::three: return QuestionKey::disagree;
        case PressedKey::left:
        case PressedKey::up: return QuestionKey::previous;
        case PressedKey::right:
        case PressedKey::down: return QuestionKey::next;
        case PressedKey::enter: return QuestionKey::choose;
        case PressedKey::escape: return QuestionKey::skip;
        case PressedKey::other: return QuestionKey::other;
    }
    return QuestionKey::other;
}

std::optional<ScreenshotWhen> parse_screenshot_when(std::string_view text) {
    ScreenshotWhen when;
    auto colon = text.find(':');
    auto screen = text.substr(0, colon);
    if (screen == "ready") when.screen = Screen::ready;
    else if (screen == "result") when.screen = Screen::result;
    else if (screen == "question") when.screen = Screen::question;
    else if (screen == "thanks") when.screen = Screen::thanks;
    else return std::nullopt;
    if (colon != std::string_view::npos) {
        auto count = text.substr(colon + 1);
        auto [end, ec] = std::from_chars(count.data(), count.data() + count.size(), when.results);
        if (ec != std::errc() || end != count.data() + count.size() || count.empty()) return std::nullopt;
    }
    return when;
}

}  // namespace muster::kiosk

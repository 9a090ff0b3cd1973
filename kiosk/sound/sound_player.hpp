#pragma once
// Plays the kiosk's chimes through ALSA on a thread of its own, so a slow or missing sound
// device never holds up a result screen. A missing device is reported once on stderr and
// retried at the next chime (a USB speaker plugged in later works without a restart).
#include "chime.hpp"

#include <condition_variable>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

namespace muster::kiosk {

class SoundPlayer {
public:
    explicit SoundPlayer(std::string device = "default");
    ~SoundPlayer();
    SoundPlayer(const SoundPlayer&) = delete;
    SoundPlayer& operator=(const SoundPlayer&) = delete;

    // Queues a chime; a newer one replaces one not yet started (a fast queue of people
    // hears the latest result, not a backlog).
    void play(Chime chime);
    // Chimes actually written to the device, and attempts that found no device (tests).
    int played() const;
    int failed() const;
    // Waits until nothing is queued or playing (tests); false on timeout.
    bool wait_idle(std::chrono::milliseconds timeout);

private:
    void run();
    bool write(Chime chime);

    std::string device_;
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::optional<Chime> pending_;
    bool busy_ = false;
    bool stopping_ = false;
    bool reported_ = false;
    int played_ = 0;
    int failed_ = 0;
    std::thread thread_;
};

}  // namespace muster::kiosk

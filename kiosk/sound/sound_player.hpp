#pragma once
// Plays the kiosk's chimes through ALSA on a worker thread of its own (muster::Worker), so a
// slow or missing sound device never holds up a result screen. A missing device is logged
// once and retried at the next chime (a USB speaker plugged in later works without a restart).
#include "chime_sounds.hpp"

#include "muster/log/logger.hpp"
#include "muster/util/worker.hpp"

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <string>

namespace muster::kiosk {

class SoundPlayer {
public:
    SoundPlayer(ChimeSounds sounds, log::Logger& log, std::string device = "default");
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
    void run(std::stop_token stop);
    bool write(Chime chime);

    const ChimeSounds sounds_;
    log::Logger& log_;
    std::string device_;
    mutable std::mutex mutex_;
    // Tells wait_idle() a chime has finished; the worker's own wake-up is Worker's.
    std::condition_variable idle_;
    std::optional<Chime> pending_;
    bool busy_ = false;
    bool reported_ = false;
    int played_ = 0;
    int failed_ = 0;
    Worker worker_;  // last: stopped before the state it reads goes
};

}  // namespace muster::kiosk

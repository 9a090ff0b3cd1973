#include "sound_player.hpp"

#include <alsa/asoundlib.h>

namespace muster::kiosk {

SoundPlayer::SoundPlayer(ChimeSounds sounds, log::Logger& log, std::string device)
    : sounds_(std::move(sounds)), log_(log), device_(std::move(device)) {
    worker_.start([this](std::stop_token stop) { run(stop); });
}

SoundPlayer::~SoundPlayer() {
    worker_.stop();  // before ALSA's configuration goes: the worker may be inside snd_pcm_open
    snd_config_update_free_global();  // ALSA's parsed configuration, cached process-wide
}

void SoundPlayer::play(Chime chime) {
    {
        std::lock_guard lock(mutex_);
        pending_ = chime;
    }
    worker_.wake();
}

int SoundPlayer::played() const {
    std::lock_guard lock(mutex_);
    return played_;
}

int SoundPlayer::failed() const {
    std::lock_guard lock(mutex_);
    return failed_;
}

bool SoundPlayer::wait_idle(std::chrono::milliseconds timeout) {
    std::unique_lock lock(mutex_);
    return idle_.wait_for(lock, timeout, [this] { return !pending_ && !busy_; });
}

void SoundPlayer::run(std::stop_token stop) {
    while (!stop.stop_requested()) {
        std::optional<Chime> chime;
        {
            std::lock_guard lock(mutex_);
            std::swap(chime, pending_);
            busy_ = chime.has_value();
        }
        if (!chime) {
            // Nothing to play: sleep until play() wakes us (Worker keeps a wake that came early;
            // the timeout is only a backstop).
            worker_.sleep_for(stop, std::chrono::seconds(1));
            continue;
        }
        bool ok = write(*chime);
        {
            std::lock_guard lock(mutex_);
            busy_ = false;
            (ok ? played_ : failed_)++;
            if (ok) reported_ = false;  // if it goes away again, say so again
        }
        idle_.notify_all();
    }
}

// Opens the device for each chime: chimes are rare (one a scan), opening costs a few ms,
// and a device that went away and came back is simply found again.
bool SoundPlayer::write(Chime chime) {
    snd_pcm_t* pcm = nullptr;
    int rc = snd_pcm_open(&pcm, device_.c_str(), SND_PCM_STREAM_PLAYBACK, 0);
    if (rc >= 0) rc = snd_pcm_set_params(pcm, SND_PCM_FORMAT_S16_LE, SND_PCM_ACCESS_RW_INTERLEAVED, 1, chime_rate, 1, 200'000);
    if (rc < 0) {
        if (pcm) snd_pcm_close(pcm);
        bool report = false;
        {
            std::lock_guard lock(mutex_);
            report = !reported_;
            reported_ = true;
        }
        if (report)
            log_.warn("sound_unavailable", {{"device", device_}, {"error", snd_strerror(rc)}, {"effect", "the kiosk carries on silently"}});
        return false;
    }
    const auto& samples = sounds_.of(chime);
    const std::int16_t* at = samples.data();
    auto left = static_cast<snd_pcm_sframes_t>(samples.size());
    while (left > 0) {
        snd_pcm_sframes_t n = snd_pcm_writei(pcm, at, static_cast<snd_pcm_uframes_t>(left));
        if (n < 0) n = snd_pcm_recover(pcm, static_cast<int>(n), 1);  // an underrun: carry on
        if (n < 0) break;
        at += n;
        left -= n;
    }
    if (left == 0) snd_pcm_drain(pcm);
    snd_pcm_close(pcm);
    return left == 0;
}

}  // namespace muster::kiosk

#include "sound_player.hpp"

#include <alsa/asoundlib.h>

#include <cstdio>

namespace muster::kiosk {

SoundPlayer::SoundPlayer(std::string device) : device_(std::move(device)), thread_([this] { run(); }) {}

SoundPlayer::~SoundPlayer() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    thread_.join();
    snd_config_update_free_global();  // ALSA's parsed configuration, cached process-wide
}

void SoundPlayer::play(Chime chime) {
    {
        std::lock_guard lock(mutex_);
        pending_ = chime;
    }
    wake_.notify_all();
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
    return wake_.wait_for(lock, timeout, [this] { return !pending_ && !busy_; });
}

void SoundPlayer::run() {
    std::unique_lock lock(mutex_);
    for (;;) {
        wake_.wait(lock, [this] { return stopping_ || pending_; });
        if (stopping_) return;
        Chime chime = *pending_;
        pending_.reset();
        busy_ = true;
        lock.unlock();
        bool ok = write(chime);
        lock.lock();
        busy_ = false;
        (ok ? played_ : failed_)++;
        if (ok) reported_ = false;  // if it goes away again, say so again
        wake_.notify_all();
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
        std::lock_guard lock(mutex_);
        if (!reported_) std::fprintf(stderr, "muster-kiosk: sound: %s: %s (the kiosk carries on silently)\n", device_.c_str(), snd_strerror(rc));
        reported_ = true;
        return false;
    }
    auto samples = chime_samples(chime);
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

#include "pn532_emulator.hpp"

#include "pn532_chip.hpp"
#include "pn532_frame.hpp"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <poll.h>
#include <stdexcept>
#include <sys/eventfd.h>
#include <termios.h>
#include <unistd.h>

namespace muster::test::pn532 {

namespace {

std::string hex_line(const char* prefix, const std::vector<std::uint8_t>& bytes) {
    std::string line = prefix;
    char buf[4];
    for (std::uint8_t b : bytes) {
        std::snprintf(buf, sizeof buf, " %02X", b);
        line += buf;
    }
    return line;
}

void write_all(int fd, const std::uint8_t* data, std::size_t n) {
    while (n > 0) {
        const ssize_t w = ::write(fd, data, n);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return;  // the pty is going away: the host sees a dead reader, as it should
        data += w;
        n -= static_cast<std::size_t>(w);
    }
}

}  // namespace

Pn532Emulator::Pn532Emulator() : Pn532Emulator(Options{}) {}

Pn532Emulator::Pn532Emulator(Options options) : options_(std::move(options)), chip_(std::make_unique<Pn532Chip>()) {
    wake_fd_ = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (wake_fd_ < 0) throw std::runtime_error(std::string("eventfd: ") + std::strerror(errno));
    try {
        open_pty();
    } catch (...) {
        ::close(wake_fd_);
        throw;
    }
    thread_ = std::thread([this] { run(); });
}

Pn532Emulator::~Pn532Emulator() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    const std::uint64_t one = 1;
    [[maybe_unused]] auto w = ::write(wake_fd_, &one, sizeof one);
    thread_.join();
    close_pty();
    ::close(wake_fd_);
}

void Pn532Emulator::open_pty() {
    const int master = ::posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (master < 0) throw std::runtime_error(std::string("posix_openpt: ") + std::strerror(errno));
    char name[128];
    if (::grantpt(master) != 0 || ::unlockpt(master) != 0 || ::ptsname_r(master, name, sizeof name) != 0) {
        ::close(master);
        throw std::runtime_error("cannot set up the pseudo-terminal");
    }
    const int slave = ::open(name, O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (slave < 0) {
        ::close(master);
        throw std::runtime_error(std::string("open ") + name + ": " + std::strerror(errno));
    }
    // Raw from the start: no echo of the host's bytes back to it, no CR/LF mangling.
    termios t{};
    ::tcgetattr(slave, &t);
    ::cfmakeraw(&t);
    ::tcsetattr(slave, TCSANOW, &t);

    std::lock_guard lock(mutex_);
    master_fd_ = master;
    slave_fd_ = slave;
    pty_path_ = name;
    plugged_ = true;
    if (!options_.link_path.empty()) {
        // Point the link at the new pty in one step (rename over the old link).
        const std::string tmp = options_.link_path + ".new";
        std::error_code ec;
        std::filesystem::remove(tmp, ec);
        std::filesystem::create_symlink(pty_path_, tmp);
        std::filesystem::rename(tmp, options_.link_path);
    }
}

void Pn532Emulator::close_pty() {
    std::lock_guard lock(mutex_);
    if (!options_.link_path.empty()) {
        std::error_code ec;
        std::filesystem::remove(options_.link_path, ec);
    }
    if (master_fd_ >= 0) ::close(master_fd_);
    if (slave_fd_ >= 0) ::close(slave_fd_);
    master_fd_ = slave_fd_ = -1;
    plugged_ = false;
}

std::string Pn532Emulator::device_path() const {
    std::lock_guard lock(mutex_);
    return options_.link_path.empty() ? pty_path_ : options_.link_path;
}

std::string Pn532Emulator::pty_path() const {
    std::lock_guard lock(mutex_);
    return pty_path_;
}

std::string Pn532Emulator::connstring() const { return "pn532_uart:" + device_path() + ":115200"; }

void Pn532Emulator::place_tag(const TagSpec& spec) {
    EmulatedTag tag = make_tag(spec);
    std::lock_guard lock(mutex_);
    chip_->place(std::move(tag));
}

void Pn532Emulator::remove_tag() {
    std::lock_guard lock(mutex_);
    chip_->remove();
}

void Pn532Emulator::go_silent() {
    std::lock_guard lock(mutex_);
    silent_ = true;
}

void Pn532Emulator::come_back() {
    std::lock_guard lock(mutex_);
    silent_ = false;
}

void Pn532Emulator::send_garbled_next_frame() {
    std::lock_guard lock(mutex_);
    garble_next_ = true;
}

void Pn532Emulator::unplug() {
    std::unique_lock lock(mutex_);
    want_plugged_ = false;
    const std::uint64_t one = 1;
    [[maybe_unused]] auto w = ::write(wake_fd_, &one, sizeof one);
    plug_done_.wait(lock, [this] { return !plugged_ || stopping_; });
}

void Pn532Emulator::plug() {
    std::unique_lock lock(mutex_);
    want_plugged_ = true;
    const std::uint64_t one = 1;
    [[maybe_unused]] auto w = ::write(wake_fd_, &one, sizeof one);
    plug_done_.wait(lock, [this] { return plugged_ || stopping_; });
}

std::uint64_t Pn532Emulator::commands_seen(std::uint8_t code) const {
    std::lock_guard lock(mutex_);
    return chip_->commands_seen(code);
}

std::uint64_t Pn532Emulator::empty_searches() const {
    std::lock_guard lock(mutex_);
    return chip_->empty_searches();
}

std::uint64_t Pn532Emulator::corrupt_frames() const {
    std::lock_guard lock(mutex_);
    return corrupt_frames_;
}

std::uint64_t Pn532Emulator::frames_dropped_silent() const {
    std::lock_guard lock(mutex_);
    return dropped_silent_;
}

// The pty is opened and closed on the emulator thread only, so its poll() never watches
// a descriptor that another thread has just closed.
void Pn532Emulator::apply_plug_request() {
    bool want, have;
    {
        std::lock_guard lock(mutex_);
        want = want_plugged_;
        have = plugged_;
    }
    if (want == have) return;
    if (want) open_pty(); else close_pty();
    plug_done_.notify_all();
}

void Pn532Emulator::run() {
    FrameParser parser;
    std::uint8_t buf[512];
    for (;;) {
        {
            std::lock_guard lock(mutex_);
            if (stopping_) break;
        }
        try {
            apply_plug_request();
        } catch (const std::exception&) {
            // A pty could not be made (out of ptys): stay unplugged, as a reader that failed.
            std::lock_guard lock(mutex_);
            want_plugged_ = false;
            plug_done_.notify_all();
        }
        int master;
        {
            std::lock_guard lock(mutex_);
            master = master_fd_;
        }
        pollfd fds[2] = {{wake_fd_, POLLIN, 0}, {master, POLLIN, 0}};
        if (::poll(fds, 2, -1) < 0) continue;
        if (fds[0].revents & POLLIN) {
            std::uint64_t count;
            [[maybe_unused]] auto r = ::read(wake_fd_, &count, sizeof count);
        }
        if (master < 0 || !(fds[1].revents & (POLLIN | POLLHUP | POLLERR))) continue;
        const ssize_t n = ::read(master, buf, sizeof buf);
        if (n > 0) {
            for (const HostFrame& frame : parser.feed({buf, static_cast<std::size_t>(n)})) {
                std::vector<std::uint8_t> bytes;
                std::size_t command_bytes = 0;
                std::uint32_t air_time_us = 0;
                {
                    std::lock_guard lock(mutex_);
                    if (options_.trace && frame.kind == HostFrame::Kind::command) options_.trace(hex_line("host>", frame.data));
                    if (frame.kind == HostFrame::Kind::corrupt) ++corrupt_frames_;
                    if (frame.kind != HostFrame::Kind::command) continue;  // host ACK = abort: nothing is running
                    if (silent_) {
                        ++dropped_silent_;
                        continue;
                    }
                    command_bytes = frame.data.size() + 8;  // preamble, start, LEN, LCS, TFI, DCS, postamble
                    const Pn532Chip::Reply reply = chip_->handle(frame.data);
                    air_time_us = reply.air_time_us;
                    bytes.assign(ack_frame.begin(), ack_frame.end());
                    std::vector<std::uint8_t> answer;
                    if (reply.kind == Pn532Chip::Reply::Kind::response) answer = build_frame(tfi_chip, reply.data);
                    if (reply.kind == Pn532Chip::Reply::Kind::error_frame) answer.assign(error_frame.begin(), error_frame.end());
                    if (!answer.empty() && garble_next_) {
                        garble_next_ = false;
                        answer[answer.size() - 2] ^= 0x5A;  // the data checksum
                        answer[answer.size() / 2] ^= 0xFF;
                    }
                    if (options_.trace) options_.trace(hex_line("chip<", reply.data) + (answer.empty() ? " (no answer)" : ""));
                    bytes.insert(bytes.end(), answer.begin(), answer.end());
                }
                if (options_.simulate_baud > 0) {
                    const auto wire_bits = (command_bytes + bytes.size()) * 10;
                    std::this_thread::sleep_for(std::chrono::microseconds(wire_bits * 1'000'000 / options_.simulate_baud + air_time_us));
                }
                send(bytes);
            }
        } else if (n < 0 && errno != EAGAIN && errno != EINTR) {
            // EIO cannot last (we hold the slave open), but never spin on it.
            ::usleep(10'000);
        }
    }
}

void Pn532Emulator::send(const std::vector<std::uint8_t>& bytes) {
    int master;
    {
        std::lock_guard lock(mutex_);
        master = master_fd_;
    }
    if (master >= 0) write_all(master, bytes.data(), bytes.size());
}

}  // namespace muster::test::pn532

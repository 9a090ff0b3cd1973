// CameraSource end to end with the fed-frames grabber, and V4L2's missing-device path.
#include "camera_source.hpp"
#include "distortions.hpp"
#include "fed_frames.hpp"
#include "scan_queue.hpp"
#include "v4l2_camera.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <memory>
#include <thread>

using namespace muster::kiosk;
using namespace muster::kiosk::camera;
using namespace std::chrono_literals;
namespace scene = muster::test::camera;

namespace {

// Generous: the test machine has two cores shared with other builds, under ASan.
constexpr auto patience = 60s;

template <class Condition>
bool eventually(Condition done, std::chrono::milliseconds limit = patience) {
    const auto until = std::chrono::steady_clock::now() + limit;
    while (!done()) {
        if (std::chrono::steady_clock::now() > until) return false;
        std::this_thread::sleep_for(5ms);
    }
    return true;
}

// A real grabber that counts the source's attempts to open it, so a test can wait for
// "a few retries" instead of sleeping for as long as they should take.
class CountingOpens final : public FrameGrabber {
public:
    explicit CountingOpens(std::unique_ptr<FrameGrabber> inner) : inner_(std::move(inner)) {}
    std::string open() override {
        ++opens_;
        return inner_->open();
    }
    void close() override { inner_->close(); }
    GrabResult grab(GrayFrame& into, std::chrono::milliseconds timeout) override { return inner_->grab(into, timeout); }
    std::string name() const override { return inner_->name(); }
    int opens() const { return opens_.load(); }

private:
    std::unique_ptr<FrameGrabber> inner_;
    std::atomic<int> opens_{0};
};

std::shared_ptr<const GrayFrame> shared(GrayFrame frame) { return std::make_shared<const GrayFrame>(std::move(frame)); }

struct Rig {
    FedFrames* feed;  // owned by the source
    std::unique_ptr<CameraSource> source;
    ScanQueue queue;

    explicit Rig(CameraSource::Options options = {}) {
        auto grabber = std::make_unique<FedFrames>();
        feed = grabber.get();
        source = std::make_unique<CameraSource>(std::move(grabber), options);
        source->start(queue);
    }
    // Waits until everything fed so far has been decoded.
    bool settle() {
        return eventually([&] { return feed->queued() == 0 && source->frames_decoded() == feed->delivered(); });
    }
    SourceState state() { return source->status().state; }
};

}  // namespace

TEST_CASE("Distorted codes are read through the camera source, one scan each", "[camera]") {
    Rig rig;  // the live settings: scheduled retries, 1.5 s re-arm
    REQUIRE(eventually([&] { return rig.state() == SourceState::ready; }));
    std::vector<std::string> expected;
    unsigned seed = 300;
    for (const scene::Distortion& d : scene::distortions()) {
        scene::DistortedFrame f = scene::render(d, ++seed);
        expected.push_back(f.text);
        // 0.66 s in view: both scheduled retries (every 8th frame without a code) come round.
        rig.feed->feed(shared(std::move(f.frame)), 20);
        REQUIRE(rig.settle());  // bounds the memory held by queued frames
    }
    const std::vector<RawScan> scans = rig.queue.drain();
    REQUIRE(scans.size() == expected.size());
    for (std::size_t i = 0; i < scans.size(); ++i) {
        CHECK(scans[i].input == InputKind::camera);
        CHECK(scans[i].payload == expected[i]);
        CHECK(scans[i].nfc_uid.empty());
    }
}

TEST_CASE("The same code in view is scanned once, absent and back, twice", "[camera]") {
    Rig rig;
    const auto a = shared(scene::render(scene::Distortion{}, 1).frame);
    const auto b = shared(scene::render(scene::Distortion{}, 2).frame);
    const auto nothing = shared(scene::empty_scene(5));

    rig.feed->feed(a, 50);
    REQUIRE(rig.settle());
    CHECK(rig.queue.drain().size() == 1);

    rig.feed->feed(nothing, 20);  // 0.66 s away: not re-armed
    rig.feed->feed(a, 5);
    REQUIRE(rig.settle());
    CHECK(rig.queue.drain().empty());

    rig.feed->feed(nothing, 50);  // 1.65 s away: re-armed
    rig.feed->feed(a, 5);
    REQUIRE(rig.settle());
    CHECK(rig.queue.drain().size() == 1);

    rig.feed->feed(b, 5);  // a different attendee right after
    rig.feed->feed(a, 5);
    REQUIRE(rig.settle());
    const auto scans = rig.queue.drain();
    REQUIRE(scans.size() == 1);
    CHECK(scans[0].payload == scene::badge_token(2));
}

TEST_CASE("The preview shows the latest frame with the found code outlined", "[camera]") {
    Rig rig;
    GrayFrame preview;
    std::optional<Quad> outline;
    CHECK_FALSE(rig.source->latest_preview(preview, outline));  // nothing delivered yet

    scene::Distortion d;
    d.where.center_x = 400;
    d.where.center_y = 360;
    rig.feed->feed(shared(scene::render(d, 3).frame), 1);
    REQUIRE(rig.settle());
    REQUIRE(rig.source->latest_preview(preview, outline));
    CHECK(preview.width() == scene::frame_width);
    CHECK(preview.height() == scene::frame_height);
    REQUIRE(outline);
    const int cx = ((*outline)[0].x + (*outline)[2].x) / 2, cy = ((*outline)[0].y + (*outline)[2].y) / 2;
    CHECK(std::abs(cx - 400) < 10);
    CHECK(std::abs(cy - 360) < 10);

    const auto seq = rig.source->preview_sequence();
    rig.feed->feed(shared(scene::empty_scene(2)), 1);
    REQUIRE(rig.settle());
    REQUIRE(rig.source->latest_preview(preview, outline));
    CHECK_FALSE(outline);  // no code in the latest frame, no outline
    CHECK(rig.source->preview_sequence() > seq);
}

TEST_CASE("An unplugged camera is reported, retried, and recovers without a restart", "[camera]") {
    CameraSource::Options fast;
    fast.retry_every = 50ms;
    Rig rig(fast);
    REQUIRE(eventually([&] { return rig.state() == SourceState::ready; }));

    rig.feed->unplug("USB device gone");
    REQUIRE(eventually([&] { return rig.state() == SourceState::unavailable; }));
    CHECK(rig.source->status().message == "camera lost (test camera: USB device gone), retrying");
    GrayFrame preview;
    std::optional<Quad> outline;
    CHECK_FALSE(rig.source->latest_preview(preview, outline));  // the UI shows the status instead
    // Still unplugged on the next attempts: the message says why and that it keeps trying.
    REQUIRE(eventually([&] { return rig.source->status().message.find("camera unavailable") == 0; }));
    CHECK(rig.queue.statuses().at(InputKind::camera).state == SourceState::unavailable);

    rig.feed->plug_in();
    REQUIRE(eventually([&] { return rig.state() == SourceState::ready; }));
    CHECK(rig.feed->open_count() == 2);
    rig.feed->feed(shared(scene::render(scene::Distortion{}, 4).frame), 3);
    REQUIRE(eventually([&] { return !rig.queue.drain().empty(); }));
    CHECK(rig.queue.statuses().at(InputKind::camera).state == SourceState::ready);
}

TEST_CASE("A missing camera device is a status, the source keeps retrying, stop is prompt", "[camera]") {
    CameraSource::Options fast;
    fast.retry_every = 100ms;
    auto counting = std::make_unique<CountingOpens>(std::make_unique<V4l2Camera>("/dev/video99"));
    const CountingOpens& opens = *counting;
    auto source = std::make_unique<CameraSource>(std::move(counting), fast);
    ScanQueue queue;
    source->start(queue);
    REQUIRE(eventually([&] { return source->status().state == SourceState::unavailable; }));
    CHECK(source->status().message ==
          "camera unavailable (/dev/video99: cannot open: No such file or directory), retrying");
    // The line staff read names the camera once (status_line), not "Camera: camera unavailable".
    CHECK(status_line(source->status()) == "Camera unavailable (/dev/video99: cannot open: No such file or directory), retrying");
    CHECK(queue.statuses().at(InputKind::camera).state == SourceState::unavailable);
    const int opened = opens.opens();
    REQUIRE(eventually([&] { return opens.opens() >= opened + 3; }));  // a few retries
    CHECK(source->status().state == SourceState::unavailable);

    // Default retry interval (1 s): stop() must not wait it out.
    auto slow = std::make_unique<CameraSource>(std::make_unique<V4l2Camera>("/dev/video99"));
    slow->start(queue);
    REQUIRE(eventually([&] { return slow->status().state == SourceState::unavailable; }));
    const auto t0 = std::chrono::steady_clock::now();
    slow->stop();
    source->stop();
    CHECK(std::chrono::steady_clock::now() - t0 < 500ms);
    slow->stop();  // twice is fine
}

TEST_CASE("V4L2 says clearly when a device is missing or not a camera", "[camera]") {
    V4l2Camera missing("/dev/video99");
    CHECK(missing.open() == "/dev/video99: cannot open: No such file or directory");
    GrayFrame frame;
    CHECK(missing.grab(frame, 10ms).kind == GrabResult::Kind::lost);

    V4l2Camera not_a_camera("/dev/null");
    CHECK(not_a_camera.open() == "/dev/null: not a V4L2 device");
}

TEST_CASE("stop() is prompt while frames are flowing", "[camera]") {
    Rig rig;
    rig.feed->feed(shared(scene::empty_scene(1)), 100000);
    REQUIRE(eventually([&] { return rig.source->frames_decoded() > 3; }));
    const auto t0 = std::chrono::steady_clock::now();
    rig.source->stop();
    CHECK(std::chrono::steady_clock::now() - t0 < 2s);  // one decode at most, even under ASan
}

// `muster register link|list|revoke` (docs/register.md): the link with its code in the
// fragment, its QR code decoded back by ZXing's reader from the written SVG and PNG, the
// listing of statuses and revocation.
#include "cli_run.hpp"

#include "muster/register/register_access.hpp"
#include "muster/store/register_link_store.hpp"
#include "muster/store/schema.hpp"
#include "muster/time/uk_time.hpp"

#define ZX_USE_UTF8 1
#include <ZXing/DecodeHints.h>
#include <ZXing/ImageView.h>
#include <ZXing/ReadBarcode.h>

#include <stb_image.h>

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

using namespace muster;

namespace {

std::string file_text(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

std::string decode_grey(const unsigned char* pixels, int width, int height) {
    ZXing::DecodeHints hints;
    hints.setFormats(ZXing::BarcodeFormat::QRCode);
    auto result = ZXing::ReadBarcode(ZXing::ImageView(pixels, width, height, ZXing::ImageFormat::Lum), hints);
    return result.isValid() ? result.text() : std::string();
}

std::string decode_png(const std::string& path) {
    int w = 0, h = 0, n = 0;
    unsigned char* pixels = stbi_load(path.c_str(), &w, &h, &n, 1);
    if (!pixels) return {};
    std::string text = decode_grey(pixels, w, h);
    stbi_image_free(pixels);
    return text;
}

// Draws the SVG's module path ("M x y h n v1 h-n z" runs, as the QR writer of the admin tool
// writes them) at 8 pixels a module on white, in a canvas as big as the viewBox, then reads
// it with ZXing: the file a printer would print is what is decoded.
std::string decode_svg(const std::string& svg) {
    auto box = svg.find("viewBox=\"0 0 ");
    if (box == std::string::npos) return {};
    std::istringstream dims(svg.substr(box + 13));
    int vw = 0, vh = 0;
    dims >> vw >> vh;
    auto d = svg.find(" d=\"");
    if (d == std::string::npos || vw <= 0 || vh <= 0) return {};
    std::string path = svg.substr(d + 4, svg.find('"', d + 4) - (d + 4));
    const int scale = 8, w = vw * scale, h = vh * scale;
    std::vector<unsigned char> grey(static_cast<std::size_t>(w) * h, 255);
    std::size_t i = 0;
    auto number = [&]() {
        std::size_t used = 0;
        int v = std::stoi(path.substr(i), &used);
        i += used;
        return v;
    };
    while (i < path.size()) {
        if (path[i] != 'M') return {};
        ++i;
        int x = number();
        ++i;  // the space
        int y = number();
        if (path[i] != 'h') return {};
        ++i;
        int run = number();
        for (int py = y * scale; py < (y + 1) * scale; ++py)
            for (int px = x * scale; px < (x + run) * scale; ++px) grey[static_cast<std::size_t>(py) * w + px] = 0;
        i = path.find('z', i) + 1;
    }
    return decode_grey(grey.data(), w, h);
}

std::string code_in(const std::string& out) {
    auto at = out.find("#code=");
    if (at == std::string::npos) return {};
    return out.substr(at + 6, register_access::secret_chars);
}

std::string url_in(const std::string& out) {
    auto start = out.find("https://");
    if (start == std::string::npos) return {};
    return out.substr(start, out.find('\n', start) - start);
}

// A hub with one event two days ahead (its day is not over whatever the time now) and two rooms.
struct RegisterHub : test::CliHub {
    std::string date = uk_time::format_date(uk_time::now_ms() + 2 * 86'400'000LL);
    RegisterHub() {
        auto event = run({"event", "create", "--programme", "ect-y1", "--item", "conference-1", "--cohort", "2025", "--date",
                          date, "--venue", "Leeds", "--rooms", "2"});
        if (event.code != 0) throw std::runtime_error("event create failed: " + event.err);
    }
    std::unique_ptr<db::Database> open() const { return store::open_database(hub + "/hub.db"); }
};

}  // namespace

TEST_CASE("register link prints a link with its one-time code in the fragment and the end of the event's day", "[cli][register]") {
    RegisterHub hub;
    auto made = hub.run({"register", "link", "--event", "1", "--room", "1", "--label", "Room 1 pack"});
    REQUIRE(made.code == 0);
    CHECK_THAT(made.out, Catch::Contains("https://localhost:8443/register/#code="));
    std::string code = code_in(made.out);
    CHECK(register_access::is_well_formed_secret(code));
    CHECK_THAT(made.out, Catch::Contains("room 1 \"Room 1\""));
    CHECK_THAT(made.out, Catch::Contains("24:00 UK time on " + hub.date));
    CHECK_THAT(made.out, Catch::Contains("muster register revoke --id 1"));
    CHECK(made.err.find(code) == std::string::npos);

    // The printed code is the link's: it exchanges once for a session reading room 1.
    auto db = hub.open();
    auto session = store::exchange(*db, code, uk_time::now_ms());
    REQUIRE(session.session);
    CHECK(session.session->scope.room_id == RoomId{1});
    CHECK(store::exchange(*db, code, uk_time::now_ms()).refusal == store::ExchangeRefusal::used_already);

    auto second = hub.run({"register", "link", "--event", "1"});
    REQUIRE(second.code == 0);
    CHECK_THAT(second.out, Catch::Contains("whole event"));
    CHECK(code_in(second.out) != code);
}

TEST_CASE("the QR code of a register link is written as SVG or PNG and decodes to the same link", "[cli][register]") {
    RegisterHub hub;
    std::string svg = hub.dir.file("room1.svg"), png = hub.dir.file("staff.PNG");
    auto as_svg = hub.run({"register", "link", "--event", "1", "--room", "2", "--qr", svg});
    REQUIRE(as_svg.code == 0);
    CHECK_THAT(as_svg.out, Catch::Contains("QR code written to " + svg));
    std::string url = url_in(as_svg.out);
    REQUIRE_THAT(url, Catch::StartsWith("https://localhost:8443/register/#code="));
    std::string svg_text = file_text(svg);
    CHECK_THAT(svg_text, Catch::StartsWith("<?xml") && Catch::Contains("Live register: Room 2"));
    CHECK(decode_svg(svg_text) == url);
    auto others = std::filesystem::perms::group_all | std::filesystem::perms::others_all;
    CHECK((std::filesystem::status(svg).permissions() & others) == std::filesystem::perms::none);

    auto as_png = hub.run({"register", "link", "--event", "1", "--qr", png});
    REQUIRE(as_png.code == 0);
    std::string png_url = url_in(as_png.out);
    CHECK(png_url != url);
    CHECK(file_text(png).substr(1, 3) == "PNG");
    CHECK(decode_png(png) == png_url);

    // Any other kind of file is refused before a link is made.
    auto jpg = hub.run({"register", "link", "--event", "1", "--qr", hub.dir.file("x.jpg")});
    CHECK(jpg.code == 2);
    CHECK_THAT(jpg.err, Catch::Contains("--qr: the file must end in .svg or .png"));
    // A file that cannot be written: the link nobody can have seen is withdrawn.
    auto unwritable = hub.run({"register", "link", "--event", "1", "--qr", hub.dir.file("no/such/folder/x.svg")});
    CHECK(unwritable.code == 1);
    CHECK_THAT(unwritable.err, Catch::Contains("could not write") && Catch::Contains("withdrawn"));
    auto listed = hub.run({"register", "list"});
    REQUIRE(listed.code == 0);
    CHECK_THAT(listed.out, Catch::Contains("3  event 1  whole event") && Catch::Contains("revoked at"));
    CHECK(listed.out.find("4  event") == std::string::npos);
}

TEST_CASE("register list shows each link's room, label and status, and revoke withdraws one", "[cli][register]") {
    RegisterHub hub;
    auto empty = hub.run({"register", "list"});
    CHECK(empty.code == 1);
    CHECK_THAT(empty.err, Catch::Contains("no register links") && Catch::Contains("muster register link"));

    std::string room_code = code_in(hub.run({"register", "link", "--event", "1", "--room", "1", "--label", "Room 1 pack"}).out);
    std::string staff_code = code_in(hub.run({"register", "link", "--event", "1", "--label", "Hub desk"}).out);
    std::string old_code = code_in(hub.run({"register", "link", "--event", "1", "--room", "2"}).out);
    REQUIRE(hub.run({"register", "link", "--event", "1"}).code == 0);
    TimeMs now = uk_time::now_ms();
    {
        auto db = hub.open();
        REQUIRE(store::exchange(*db, room_code, now).session);
        db->exec("UPDATE register_links SET created_ms = 0, expires_ms = 1 WHERE id = 3");
    }
    REQUIRE(hub.run({"register", "revoke", "--id", "4"}).code == 0);

    auto listed = hub.run({"register", "list", "--event", "1"});
    REQUIRE(listed.code == 0);
    CHECK_THAT(listed.out, Catch::Contains("1  event 1  room 1 \"Room 1\"  \"Room 1 pack\"  created "));
    CHECK_THAT(listed.out, Catch::Contains("used at " + uk_time::format_hhmm(now)));
    CHECK_THAT(listed.out, Catch::Contains("2  event 1  whole event  \"Hub desk\"  created " + uk_time::format_date(now)));
    CHECK_THAT(listed.out, Catch::Contains("  unused\n"));
    CHECK_THAT(listed.out, Catch::Contains("3  event 1  room 2 \"Room 2\"  created ") && Catch::Contains("  expired\n"));
    CHECK_THAT(listed.out, Catch::Contains("4  event 1  whole event  created ") && Catch::Contains("revoked at "));
    // The listing never shows a code.
    for (const auto& c : {room_code, staff_code, old_code}) CHECK(listed.out.find(c) == std::string::npos);

    // Revoking the used room link refuses its tablet's session from then on.
    auto db = hub.open();
    auto session = store::exchange(*db, staff_code, now);
    REQUIRE(session.session);
    REQUIRE(store::check_session(*db, session.session->cookie_value, now).scope);
    auto revoked = hub.run({"register", "revoke", "--id", "2"});
    CHECK(revoked.code == 0);
    CHECK_THAT(revoked.out, Catch::Contains("Register link 2 revoked"));
    CHECK(store::check_session(*db, session.session->cookie_value, now).refusal == store::SessionRefusal::revoked);
    auto again = hub.run({"register", "revoke", "--id", "2"});
    CHECK(again.code == 1);
    CHECK_THAT(again.err, Catch::Contains("already revoked"));
    auto missing = hub.run({"register", "revoke", "--id", "99"});
    CHECK(missing.code == 2);
    CHECK_THAT(missing.err, Catch::Contains("no register link 99"));
    CHECK(hub.run({"register", "list", "--event", "7"}).code == 2);
}

TEST_CASE("register link refuses a missing event, a room of another event, a cancelled event and a day that is over", "[cli][register]") {
    RegisterHub hub;
    REQUIRE(hub.run({"event", "create", "--programme", "ect-y1", "--item", "conference-2", "--cohort", "2025", "--date",
                     "2020-01-15", "--venue", "York", "--rooms", "1"})
                .code == 0);  // event 2, room 3, long past
    auto none = hub.run({"register", "link", "--event", "9"});
    CHECK(none.code == 2);
    CHECK_THAT(none.err, Catch::Contains("no event 9"));
    auto wrong_room = hub.run({"register", "link", "--event", "1", "--room", "3"});
    CHECK(wrong_room.code == 2);
    CHECK_THAT(wrong_room.err, Catch::Contains("room 3 is not a room of event 1"));
    auto over = hub.run({"register", "link", "--event", "2"});
    CHECK(over.code == 1);
    CHECK_THAT(over.err, Catch::Contains("day is over") && Catch::Contains("2020-01-15"));
    auto bad_label = hub.run({"register", "link", "--event", "1", "--label", std::string(101, 'x')});
    CHECK(bad_label.code == 2);
    CHECK_THAT(bad_label.err, Catch::Contains("--label: longer than 100 characters"));
    {
        auto db = hub.open();
        db->exec("UPDATE events SET cancelled_ms = 1, cancel_reason = 'venue flooded' WHERE id = 1");
    }
    auto cancelled = hub.run({"register", "link", "--event", "1"});
    CHECK(cancelled.code == 1);
    CHECK_THAT(cancelled.err, Catch::Contains("event 1 is cancelled"));
    CHECK(hub.run({"register", "list"}).code == 1);  // nothing was made
}

TEST_CASE("register link needs the address tablets reach the hub at", "[cli][register]") {
    RegisterHub hub;
    std::filesystem::remove(hub.hub + "/sync-server.toml");
    auto made = hub.run({"register", "link", "--event", "1"});
    CHECK(made.code == 2);
    CHECK_THAT(made.err, Catch::Contains("server.public_url"));
}

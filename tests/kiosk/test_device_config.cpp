#include "device_config.hpp"
#include "temp_dir.hpp"

#include <catch2/catch.hpp>

#include <fstream>

using namespace muster;
using muster::kiosk::ConfigError;
using muster::kiosk::load_device_config;

namespace {

const std::string good = R"([device]
id = "door-1"
mode = "room"
event = 3
session = 7
room = 2
direction = "exit"
[inputs]
wedge = true
nfc = true
nfc_connstring = "pn532_uart:/dev/ttyUSB0"
[staff]
pin_hash = "pbkdf2-sha256$1000$00$00"
[security]
public_key = "hub-public.pem"
[storage]
database = "/var/lib/muster/device.db"
[screen]
width = 1920
height = 1080
)";

std::string with(std::string text, const std::string& from, const std::string& to) {
    auto at = text.find(from);
    REQUIRE(at != std::string::npos);
    return text.replace(at, from.size(), to);
}

}  // namespace

TEST_CASE("a device file is read, with paths relative to it", "[kiosk][config]") {
    test::TempDir dir;
    std::ofstream(dir.file("device.toml")) << good;
    auto c = load_device_config(dir.file("device.toml"));
    CHECK(c.device_id == "door-1");
    CHECK(c.mode == DeviceMode::room);
    CHECK(c.event_id == 3);
    CHECK(c.session_id == 7);
    CHECK(c.room_id == 2);
    CHECK(c.direction == Direction::exit);
    CHECK(c.nfc);
    CHECK(c.nfc_connstring == "pn532_uart:/dev/ttyUSB0");
    CHECK(c.public_key == dir.path() / "hub-public.pem");
    CHECK(c.database == "/var/lib/muster/device.db");
    CHECK(c.width == 1920);
    CHECK(c.satisfaction_question);  // an exit kiosk asks by default
    CHECK(c.satisfaction_timeout_s == 10);
    std::ofstream(dir.file("quiet.toml")) << with(good, "direction = \"exit\"\n",
                                                   "direction = \"exit\"\nsatisfaction_question = false\nsatisfaction_timeout_s = 20\n");
    auto quiet = load_device_config(dir.file("quiet.toml"));
    CHECK_FALSE(quiet.satisfaction_question);
    CHECK(quiet.satisfaction_timeout_s == 20);
}

TEST_CASE("a bad device file is refused with the field named", "[kiosk][config]") {
    test::TempDir dir;
    auto error_for = [&](const std::string& text) -> std::string {
        std::ofstream(dir.file("d.toml"), std::ios::trunc) << text;
        try {
            load_device_config(dir.file("d.toml"));
        } catch (const ConfigError& e) {
            return e.what();
        }
        return "(accepted)";
    };
    CHECK_THAT(error_for(with(good, "id = \"door-1\"\n", "")), Catch::Contains("device.id: missing"));
    CHECK_THAT(error_for(with(good, "event = 3", "event = \"three\"")), Catch::Contains("device.event: must be a whole number"));
    CHECK_THAT(error_for(with(good, "mode = \"room\"", "mode = \"lobby\"")), Catch::Contains("device.mode"));
    CHECK_THAT(error_for(with(good, "room = 2\n", "")), Catch::Contains("device.room: a room device needs"));
    CHECK_THAT(error_for(with(good, "session = 7", "session = \"lunch\"")), Catch::Contains("device.session"));
    CHECK_THAT(error_for(with(good, "nfc = true", "nfc = \"yes\"")), Catch::Contains("inputs.nfc: must be true or false"));
    CHECK_THAT(error_for(with(good, "pbkdf2-sha256$1000$00$00", "2468")), Catch::Contains("staff.pin_hash") && Catch::Contains("never the PIN"));
    CHECK_THAT(error_for(with(good, "width = 1920", "width = 10")), Catch::Contains("screen.width"));
    CHECK_THAT(error_for(with(good, "direction = \"exit\"", "direction = \"exit\"\nsatisfaction_question = \"yes\"")),
               Catch::Contains("device.satisfaction_question"));
    CHECK_THAT(error_for(with(good, "direction = \"exit\"", "direction = \"exit\"\nsatisfaction_timeout_s = 0")),
               Catch::Contains("device.satisfaction_timeout_s"));
    CHECK_THAT(error_for(with(good, "[storage]\ndatabase = \"/var/lib/muster/device.db\"\n", "")), Catch::Contains("storage.database: missing"));
    CHECK_THAT(error_for("[device\nid = 1"), Catch::Contains("d.toml:1") && Catch::Contains("not valid TOML"));
    CHECK_THROWS_AS(load_device_config(dir.file("missing.toml")), ConfigError);
}

TEST_CASE("the example device files in device-config/ are valid", "[kiosk][config]") {
    auto entrance = load_device_config(std::string(MUSTER_SOURCE_DIR) + "/device-config/entrance-kiosk.example.toml");
    CHECK(entrance.mode == DeviceMode::entrance);
    CHECK(entrance.satisfaction_question);
    CHECK(entrance.satisfaction_timeout_s == 10);
    CHECK_FALSE(entrance.session_id);  // "auto"
    auto room = load_device_config(std::string(MUSTER_SOURCE_DIR) + "/device-config/room-device.example.toml");
    CHECK(room.mode == DeviceMode::room);
    CHECK(room.room_id == 3);
    CHECK(room.nfc);
}

TEST_CASE("fonts and sounds: Debian's DejaVu and the source tree's assets by default, or where the file says",
          "[kiosk][config][assets]") {
    test::TempDir dir;
    std::ofstream(dir.file("device.toml")) << good;
    auto c = load_device_config(dir.file("device.toml"));
    CHECK(c.font == "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf");
    CHECK(c.font_bold == "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf");
    CHECK(c.sounds == std::filesystem::path(MUSTER_SOURCE_DIR) / "assets" / "sounds");
    CHECK(std::filesystem::exists(c.sounds / "accepted.wav"));  // what a clean clone runs with

    std::ofstream(dir.file("designed.toml"))
        << with(good, "width = 1920", "font = \"fonts/Brand.ttf\"\nfont_bold = \"/opt/fonts/Brand-Bold.ttf\"\nsounds = \"venue-sounds\"\nwidth = 1920");
    auto d = load_device_config(dir.file("designed.toml"));
    CHECK(d.font == dir.path() / "fonts/Brand.ttf");  // relative to the device file, like every path in it
    CHECK(d.font_bold == "/opt/fonts/Brand-Bold.ttf");
    CHECK(d.sounds == dir.path() / "venue-sounds");

    std::ofstream(dir.file("empty.toml")) << with(good, "width = 1920", "font = \"\"\nwidth = 1920");
    CHECK_THROWS_WITH(load_device_config(dir.file("empty.toml")), Catch::Contains("screen.font") && Catch::Contains("must not be empty"));
}

TEST_CASE("server url: one URL as before, or a list of the hub's server processes", "[kiosk][config]") {
    test::TempDir dir;
    auto read = [&](const std::string& server) {
        std::ofstream(dir.file("d.toml"), std::ios::trunc) << good << "[server]\n" << server << "secret = \"device.secret\"\n"
                                                           << "certificate = \"server-cert.pem\"\n";
        return load_device_config(dir.file("d.toml"));
    };
    auto one = read("url = \"https://hub.local:8443\"\n");
    CHECK(one.server_urls == std::vector<std::string>{"https://hub.local:8443"});
    CHECK(one.server_certificate == dir.path() / "server-cert.pem");
    auto several = read("url = [\"https://hub-a.local:8443\", \"https://hub-b.local:8443/\", \"http://127.0.0.1:9000\"]\n");
    CHECK(several.server_urls ==
          std::vector<std::string>{"https://hub-a.local:8443", "https://hub-b.local:8443", "http://127.0.0.1:9000"});
    CHECK(several.sync_settings().server_urls == several.server_urls);
    CHECK(read("url = \"\"\n").server_urls.empty());  // no sync, as before
    CHECK(read("url = \"http://localhost:9000\"\n").server_urls.size() == 1);
}

TEST_CASE("a bad server url list is refused with the entry named", "[kiosk][config]") {
    test::TempDir dir;
    auto error_for = [&](const std::string& server) -> std::string {
        std::ofstream(dir.file("d.toml"), std::ios::trunc) << good << "[server]\n" << server << "secret = \"device.secret\"\n";
        try {
            load_device_config(dir.file("d.toml"));
        } catch (const ConfigError& e) {
            return e.what();
        }
        return "(accepted)";
    };
    CHECK_THAT(error_for("url = []\n"), Catch::Contains("server.url: the list is empty"));
    CHECK_THAT(error_for("url = [\"https://a.local:8443\", \"ftp://b.local:21\"]\n"),
               Catch::Contains("server.url[1]: must start with https://"));
    CHECK_THAT(error_for("url = [\"https://a.local:8443\", \"https://a.local:8443/\"]\n"),
               Catch::Contains("server.url[1]: the same as server.url[0]"));
    CHECK_THAT(error_for("url = [\"https://a.local:8443\", 8443]\n"), Catch::Contains("server.url[1]: must be a string in quotes"));
    CHECK_THAT(error_for("url = [\"https://a.local\"]\n"), Catch::Contains("server.url[0]: must be scheme://host:port"));
    CHECK_THAT(error_for("url = \"http://hub.local:8443\"\n"), Catch::Contains("server.url: http:// only to a loopback address"));
    CHECK_THAT(error_for("url = [\"http://127.0.0.1:9000\", \"http://10.0.0.2:8443\"]\n"),
               Catch::Contains("server.url[1]: http:// only to a loopback address"));
    CHECK_THAT(error_for("url = 8443\n"), Catch::Contains("server.url: must be a string in quotes or a list"));
    // A pinned certificate is needed as soon as one of them is https.
    CHECK_THAT(error_for("url = [\"http://127.0.0.1:9000\", \"https://a.local:8443\"]\n"),
               Catch::Contains("server.certificate: missing"));
    CHECK(error_for("url = [\"http://127.0.0.1:9000\", \"http://[::1]:9001\"]\n") == "(accepted)");
}

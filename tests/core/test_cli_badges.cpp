// Badges to people (`muster badges files`), and the badge and card commands' refusals: the
// QR codes on the cards and on the A4 sheet are decoded with ZXing's reader, as a kiosk would.
#include "cli_run.hpp"

#include "muster/badge/hub_keys.hpp"
#include "muster/badge/badge_token.hpp"
#include "muster/csv/csv_reader.hpp"
#include "muster/store/badge_store.hpp"
#include "muster/store/participant_store.hpp"
#include "muster/store/schema.hpp"

#define ZX_USE_UTF8 1
#include <ZXing/ReadBarcode.h>
#include <stb_image.h>

#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>

using namespace muster;
using test::CliHub;

namespace {

namespace fs = std::filesystem;

// Siân has a comma in her school, Bob's surname starts with '=' and has a comma, Kwame has
// no email, and Zoë is left without a badge.
const char* roster = "first name,last name,preferred name,email,trn,role,cohort,year,school\n"
                     "Siân,O'Brien,,s@o.org.uk,,ECT,2025,1,\"St Mary's, Leeds\"\n"
                     "Robert,\"=SUM(A1), Jr\",Bob,b@x.org.uk,,ECT,2025,1,Hill School\n"
                     "Kwame,Mensah,,,2345678,ECT,2025,1,Oak Academy\n"
                     "Zoë,Ng,,z@n.org.uk,,ECT,2025,1,Oak Academy\n";

std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

struct Grey {
    int width = 0, height = 0;
    std::vector<std::uint8_t> pixels;
};

Grey decode_png(const std::string& bytes) {
    int w = 0, h = 0, channels = 0;
    std::unique_ptr<unsigned char, void (*)(void*)> data(
        stbi_load_from_memory(reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<int>(bytes.size()), &w, &h,
                              &channels, 1),
        stbi_image_free);
    REQUIRE(data);
    return {w, h, std::vector<std::uint8_t>(data.get(), data.get() + static_cast<std::size_t>(w * h))};
}

ZXing::Result read_qr(const Grey& image) {
    ZXing::DecodeHints hints;
    hints.setFormats(ZXing::BarcodeFormat::QRCode);
    return ZXing::ReadBarcode({image.pixels.data(), image.width, image.height, ZXing::ImageFormat::Lum}, hints);
}

// The first QR of a badge sheet drawn as pixels (4 a module) from its SVG path, which is
// only "M x y h run v1 h-run z" runs of dark modules on a white square of viewBox modules.
Grey rasterise_first_sheet_qr(const std::string& html, int& modules_with_quiet_zone) {
    auto box = html.find("viewBox=\"0 0 ");
    REQUIRE(box != std::string::npos);
    modules_with_quiet_zone = std::atoi(html.c_str() + box + 13);
    constexpr int scale = 4;
    Grey g{modules_with_quiet_zone * scale, modules_with_quiet_zone * scale, {}};
    g.pixels.assign(static_cast<std::size_t>(g.width * g.height), 255);
    auto d = html.find(" d=\"", box);
    auto end = html.find('"', d + 4);
    REQUIRE(end != std::string::npos);
    std::istringstream path(html.substr(d + 4, end - d - 4));
    char m = 0, h = 0, v = 0, h2 = 0, z = 0;
    int x = 0, y = 0, run = 0, one = 0, back = 0;
    int runs = 0;
    bool well_formed = true;
    while (path >> m >> x >> y >> h >> run >> v >> one >> h2 >> back >> z) {
        well_formed = well_formed && m == 'M' && h == 'h' && v == 'v' && one == 1 && h2 == 'h' && back == -run && z == 'z';
        for (int yy = y * scale; yy < (y + 1) * scale; ++yy)
            for (int xx = x * scale; xx < (x + run) * scale; ++xx) g.pixels[static_cast<std::size_t>(yy * g.width + xx)] = 0;
        ++runs;
    }
    CHECK(well_formed);
    CHECK(runs > 100);
    return g;
}

badge::PublicKey hub_public_key(const CliHub& hub) { return badge::load_public_key(hub.hub + "/hub-public.pem"); }

std::unique_ptr<db::Database> hub_db(const CliHub& hub) { return store::open_database(hub.hub + "/hub.db"); }

}  // namespace

TEST_CASE("badges files writes a card a person whose QR decodes to the token the sheet carries", "[cli][badges]") {
    CliHub hub(roster);
    for (const char* id : {"1", "2", "3"}) REQUIRE(hub.run({"badges", "issue", "--participant", id}).code == 0);
    std::string out = hub.dir.file("cards");
    auto files = hub.run({"badges", "files", "--out", out});
    REQUIRE(files.code == 0);
    CHECK_THAT(files.out, Catch::Contains("Wrote 3 badge card(s)") && Catch::Contains("badges.csv") &&
                              Catch::Contains("1 of them have no email") &&
                              Catch::Contains("1 without a badge: muster badges issue --all"));

    // File names: the id and the name folded to ASCII, no path characters.
    CHECK(fs::exists(fs::path(out) / "0001-sian-obrien.png"));
    CHECK(fs::exists(fs::path(out) / "0002-bob-sum-a1-jr.png"));
    CHECK(fs::exists(fs::path(out) / "0003-kwame-mensah.png"));
    CHECK_FALSE(fs::exists(fs::path(out) / "0004-zoe-ng.png"));
    CHECK((fs::status(out).permissions() & (fs::perms::group_all | fs::perms::others_all)) == fs::perms::none);

    std::string png = slurp(fs::path(out) / "0001-sian-obrien.png");
    REQUIRE(png.size() > 1000);
    CHECK(png.compare(0, 8, "\x89PNG\r\n\x1a\n") == 0);
    // pHYs says 300 dpi (11811 pixels a metre) so the card prints at 85 x 54 mm.
    auto phys = png.find("pHYs");
    REQUIRE(phys != std::string::npos);
    CHECK(png.substr(phys + 4, 9) == std::string("\x00\x00\x2e\x23\x00\x00\x2e\x23\x01", 9));
    Grey card = decode_png(png);
    CHECK(card.width == 1004);
    CHECK(card.height == 638);

    auto from_card = read_qr(card);
    REQUIRE(from_card.isValid());
    CHECK(from_card.ecLevel() == "M");
    badge::BadgeVerifier verifier(hub_public_key(hub));
    auto verified = verifier.verify(from_card.text());
    REQUIRE(verified.claims);
    CHECK(verified.claims->participant_id == 1);
    CHECK(verified.claims->serial == 1);

    // The A4 sheet's code for the same person decodes to the same token, also at level M,
    // and is a version 6 symbol (41 modules + 2 x 4 of quiet zone), as docs/badges.md says.
    std::string sheet_path = hub.dir.file("sheet.html");
    REQUIRE(hub.run({"badges", "print", "--participant", "1", "--out", sheet_path}).code == 0);
    int modules = 0;
    auto from_sheet = read_qr(rasterise_first_sheet_qr(slurp(sheet_path), modules));
    REQUIRE(from_sheet.isValid());
    CHECK(from_sheet.text() == from_card.text());
    CHECK(from_sheet.ecLevel() == "M");
    CHECK(modules == 41 + 8);
    CHECK(from_card.text().size() == 123);

    // The mail merge: one row a badge, in id order, quoted where needed and defused.
    std::string csv_text = slurp(fs::path(out) / "badges.csv");
    CHECK(csv_text.find("\r\n") != std::string::npos);
    csv::Reader reader(csv_text);
    std::vector<std::vector<std::string>> rows;
    while (auto r = reader.next()) rows.push_back(r->fields);
    REQUIRE(rows.size() == 4);
    CHECK(rows[0] == std::vector<std::string>{"first_name", "last_name", "email", "file"});
    CHECK(rows[1] == std::vector<std::string>{"Siân", "O'Brien", "s@o.org.uk", "0001-sian-obrien.png"});
    CHECK(rows[2] == std::vector<std::string>{"Bob", "'=SUM(A1), Jr", "b@x.org.uk", "0002-bob-sum-a1-jr.png"});
    CHECK(rows[3] == std::vector<std::string>{"Kwame", "Mensah", "", "0003-kwame-mensah.png"});
    CHECK(csv_text.find("\"'=SUM(A1), Jr\"") != std::string::npos);
    for (std::size_t i = 1; i < rows.size(); ++i) CHECK(fs::exists(fs::path(out) / rows[i][3]));

    // --event and --participant narrow it down; an unknown event is named.
    auto one = hub.run({"badges", "files", "--out", hub.dir.file("one"), "--participant", "3"});
    CHECK(one.code == 0);
    CHECK(fs::exists(hub.dir.file("one/0003-kwame-mensah.png")));
    CHECK_FALSE(fs::exists(hub.dir.file("one/0001-sian-obrien.png")));
    auto unknown = hub.run({"badges", "files", "--out", hub.dir.file("none"), "--event", "99"});
    CHECK(unknown.code == 2);
    CHECK_THAT(unknown.err, Catch::Contains("no event 99"));
    CHECK_FALSE(fs::exists(hub.dir.file("none")));
}

TEST_CASE("badges files and print with nobody holding a badge fail and write nothing", "[cli][badges]") {
    CliHub hub(roster);
    std::string out = hub.dir.file("cards");
    auto files = hub.run({"badges", "files", "--out", out});
    CHECK(files.code == 1);
    CHECK_THAT(files.err, Catch::Contains("0 badges: nothing written") && Catch::Contains("muster badges issue --all"));
    CHECK_FALSE(fs::exists(out));

    // An event whose people have no badge: print refuses and leaves the old sheet alone.
    REQUIRE(hub.run({"event", "create", "--programme", "ect-y1", "--item", "conference-1", "--cohort", "2025", "--date",
                     "2026-10-14", "--venue", "Leeds", "--rooms", "1"})
                .code == 0);
    std::string sheet = hub.write("sheet.html", "an older sheet");
    auto print = hub.run({"badges", "print", "--event", "1", "--out", sheet});
    CHECK(print.code == 1);
    CHECK_THAT(print.err, Catch::Contains("0 badges: nothing written"));
    CHECK(slurp(sheet) == "an older sheet");
    auto print_new = hub.run({"badges", "print", "--event", "1", "--out", hub.dir.file("new.html")});
    CHECK(print_new.code == 1);
    CHECK_FALSE(fs::exists(hub.dir.file("new.html")));

    auto no_event = hub.run({"badges", "print", "--event", "99", "--out", hub.dir.file("99.html")});
    CHECK(no_event.code == 2);
    CHECK_THAT(no_event.err, Catch::Contains("no event 99"));
    CHECK_FALSE(fs::exists(hub.dir.file("99.html")));

    // With badges, a sheet that cannot be written (no such folder) leaves no file behind.
    REQUIRE(hub.run({"badges", "issue", "--all"}).code == 0);
    auto unwritable = hub.run({"badges", "print", "--event", "1", "--out", hub.dir.file("missing/sheet.html")});
    CHECK(unwritable.code == 1);
    CHECK_FALSE(fs::exists(hub.dir.file("missing")));
    auto written = hub.run({"badges", "print", "--event", "1", "--out", sheet});
    CHECK(written.code == 0);
    CHECK_THAT(written.out, Catch::Contains("Wrote 4 badge(s)"));
    CHECK(slurp(sheet).find("<svg") != std::string::npos);
}

TEST_CASE("badges revoke names the serial and asks for --serial once a badge was revoked before", "[cli][badges]") {
    CliHub hub(roster);
    REQUIRE(hub.run({"badges", "issue", "--participant", "1"}).code == 0);
    REQUIRE(hub.run({"badges", "revoke", "--participant", "1", "--reason", "lost", "--reissue"}).code == 0);

    // Reported lost again: the current badge is the replacement, so it is not guessed.
    auto again = hub.run({"badges", "revoke", "--participant", "1", "--reason", "lost"});
    CHECK(again.code == 2);
    CHECK_THAT(again.err, Catch::Contains("would revoke badge 2") && Catch::Contains("--serial 2") &&
                              Catch::Contains("1 revoked"));
    {
        auto db = hub_db(hub);
        auto current = store::current_badge(*db, 1);
        REQUIRE(current);
        CHECK(current->serial == 2);
    }
    auto named = hub.run({"badges", "revoke", "--participant", "1", "--reason", "lost", "--serial", "2"});
    CHECK(named.code == 0);
    CHECK_THAT(named.out, Catch::Contains("Revoked badge 2"));

    auto none_left = hub.run({"badges", "revoke", "--participant", "1", "--reason", "lost"});
    CHECK(none_left.code == 2);
    CHECK_THAT(none_left.err, Catch::Contains("already revoked") &&
                                  Catch::Contains("muster badges issue --participant 1"));
    auto revoked_serial = hub.run({"badges", "revoke", "--participant", "1", "--reason", "lost", "--serial", "1"});
    CHECK(revoked_serial.code == 2);
    CHECK_THAT(revoked_serial.err, Catch::Contains("badge 1 of participant 1 was already revoked"));
    auto no_such = hub.run({"badges", "revoke", "--participant", "1", "--reason", "lost", "--serial", "7"});
    CHECK(no_such.code == 2);
    CHECK_THAT(no_such.err, Catch::Contains("has no badge 7"));

    // One badge, never revoked: revoked without asking, as before.
    REQUIRE(hub.run({"badges", "issue", "--participant", "2"}).code == 0);
    CHECK(hub.run({"badges", "revoke", "--participant", "2", "--reason", "lost"}).code == 0);
}

TEST_CASE("card attach refuses a card someone else holds unless --move, which devices hear of", "[cli][badges]") {
    CliHub hub(roster);
    REQUIRE(hub.run({"card", "attach", "--uid", "04:A1:B2:C3", "--participant", "1"}).code == 0);

    auto same = hub.run({"card", "attach", "--uid", "04a1b2c3", "--participant", "1"});
    CHECK(same.code == 1);
    CHECK_THAT(same.err, Catch::Contains("already checks in participant 1"));

    auto changed_at = [&] {
        auto db = hub_db(hub);
        return db->prepare("SELECT changed_at FROM nfc_cards WHERE uid = '04A1B2C3'")
            .query_one([](const db::Statement& r) { return r.int64(0); })
            .value_or(-1);
    };
    const auto before = changed_at();
    auto taken = hub.run({"card", "attach", "--uid", "04A1B2C3", "--participant", "2"});
    CHECK(taken.code == 1);
    CHECK_THAT(taken.err, Catch::Contains("belongs to participant 1 (Siân O'Brien)") && Catch::Contains("--move"));
    {
        auto db = hub_db(hub);
        CHECK(store::card_owner(*db, "04A1B2C3") == ParticipantId{1});
    }
    CHECK(changed_at() == before);

    auto moved = hub.run({"card", "attach", "--uid", "04A1B2C3", "--participant", "2", "--move"});
    CHECK(moved.code == 0);
    CHECK_THAT(moved.out, Catch::Contains("moved from participant 1 (Siân O'Brien) to 2"));
    {
        auto db = hub_db(hub);
        CHECK(store::card_owner(*db, "04A1B2C3") == ParticipantId{2});
        // Devices ask for rows changed since their last sync: the move is one of them.
        CHECK(changed_at() > before);
        CHECK(changed_at() == store::current_change(*db));
    }

    CHECK(hub.run({"card", "detach", "--uid", "04A1B2C3"}).code == 0);
    CHECK(hub.run({"card", "detach", "--uid", "04A1B2C3"}).code == 2);
    CHECK(hub.run({"card", "detach", "--uid", "DEADBEEF"}).code == 2);
    // A detached card attaches to anyone without --move.
    CHECK(hub.run({"card", "attach", "--uid", "04A1B2C3", "--participant", "3"}).code == 0);
}

TEST_CASE("a card with a long name and school keeps its text inside the card and its code readable", "[cli][badges]") {
    CliHub hub("first name,last name,email,role,school\n"
               "Alexandra-Margaretha,Featherstonehaugh-Cholmondeley-Ó Súilleabháin,a@b.org.uk,Mentor,"
               "The Most Holy Trinity Catholic and Church of England Voluntary Aided Primary School and Nursery\n");
    REQUIRE(hub.run({"badges", "issue", "--all"}).code == 0);
    REQUIRE(hub.run({"badges", "files", "--out", hub.dir.file("cards")}).code == 0);
    std::string file = hub.dir.file("cards/0001-alexandra-margaretha-featherstonehaugh-c.png");
    REQUIRE(fs::exists(file));
    Grey card = decode_png(slurp(file));
    // The right margin, below the hub's band and inside the cut line, stays white.
    bool margin_white = true;
    for (int y = 100; y < card.height - 4; ++y)
        for (int x = card.width - 28; x < card.width - 4; ++x)
            margin_white = margin_white && card.pixels[static_cast<std::size_t>(y * card.width + x)] == 255;
    CHECK(margin_white);
    auto qr = read_qr(card);
    REQUIRE(qr.isValid());
    badge::BadgeVerifier verifier(hub_public_key(hub));
    CHECK(verifier.verify(qr.text()).claims.has_value());
}

TEST_CASE("a withdrawn participant gets a badge and a printed one only when named", "[cli][badges]") {
    CliHub hub(roster);
    REQUIRE(hub.run({"roster", "withdraw", "4", "--reason", "left the programme"}).code == 0);
    auto all = hub.run({"badges", "issue", "--all"});
    REQUIRE(all.code == 0);
    CHECK_THAT(all.out, Catch::Contains("Issued 3 badge(s)"));
    auto sheet = hub.run({"badges", "print", "--out", hub.dir.file("sheet.html")});
    REQUIRE(sheet.code == 0);
    CHECK_THAT(sheet.out, Catch::Contains("Wrote 3 badge(s)"));
    CHECK(slurp(hub.dir.file("sheet.html")).find("Zoë") == std::string::npos);
    REQUIRE(hub.run({"badges", "issue", "--participant", "4"}).code == 0);  // named: staff mean it
    CHECK_THAT(hub.run({"badges", "print", "--participant", "4", "--out", hub.dir.file("zoe.html")}).out,
               Catch::Contains("Wrote 1 badge(s)"));
}

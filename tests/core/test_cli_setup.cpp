// Setting a hub up for a venue network (init --host/--port/--listen, server cert --host and
// the public_url devices are given) and the admin tool's CLI-wide protections: --hub before
// the command, bare groups, --help lists made from the code's tables, an export that fails
// leaving the earlier file as it was.
#include "cli_run.hpp"
#include "server_address.hpp"
#include "server_file_edit.hpp"

#include "muster/attendance/attendance_export.hpp"
#include "muster/central/target_config.hpp"
#include "muster/config/toml_file.hpp"
#include "muster/programme/templates.hpp"
#include "muster/util/text.hpp"

#include <catch2/catch.hpp>

#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>

using namespace muster;
using test::CliHub;
using test::muster_cli;

namespace {

std::string read_file(const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    std::stringstream ss;
    ss << f.rdbuf();
    return ss.str();
}

// The value of `key = "..."` in a TOML file's text ("" when absent).
std::string toml_value(const std::string& text, const std::string& key) {
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);)
        if (line.rfind(key + " = ", 0) == 0) {
            auto open = line.find('"');
            if (open == std::string::npos) return line.substr(key.size() + 3);
            return line.substr(open + 1, line.find('"', open + 1) - open - 1);
        }
    return "";
}

// Does the hub's TLS certificate name `host` (a DNS name or an IP address)?
bool certificate_names(const std::string& cert_file, const std::string& host) {
    std::FILE* f = std::fopen(cert_file.c_str(), "r");
    if (!f) return false;
    X509* cert = PEM_read_X509(f, nullptr, nullptr, nullptr);
    std::fclose(f);
    if (!cert) return false;
    bool ip = host.find_first_not_of("0123456789.") == std::string::npos;
    bool named = ip ? X509_check_ip_asc(cert, host.c_str(), 0) == 1
                    : X509_check_host(cert, host.c_str(), host.size(), X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS, nullptr) == 1;
    X509_free(cert);
    return named;
}

std::string without_line(const std::string& text, const std::string& prefix) {
    std::istringstream in(text);
    std::string out;
    for (std::string line; std::getline(in, line);)
        if (line.rfind(prefix, 0) != 0) out += line + "\n";
    return out;
}

const char* roster_csv = "first name,last name,email,trn,role,cohort,year\n"
                         "Siân,O'Brien,s@o.org.uk,1234567,ECT,2025,1\nKwame,Mensah,k@m.org.uk,2345678,Facilitator,,\n";

}  // namespace

TEST_CASE("init with --host and --port gives devices that host and port, in the certificate too", "[cli][setup]") {
    test::TempDir dir;
    std::string hub = dir.file("hub");
    auto init = muster_cli({"init", "--hub", hub, "--name", "Venue hub", "--host", "192.168.1.20,hub.venue.example",
                            "--port", "9443"});
    REQUIRE(init.code == 0);
    auto toml = read_file(hub + "/sync-server.toml");
    CHECK(toml_value(toml, "listen") == "0.0.0.0");
    CHECK(toml_value(toml, "port") == "9443");
    CHECK(toml_value(toml, "public_url") == "https://192.168.1.20:9443");
    CHECK_THAT(init.out, Catch::Contains("devices will use https://192.168.1.20:9443"));
    CHECK(certificate_names(hub + "/tls/server-cert.pem", "192.168.1.20"));
    CHECK(certificate_names(hub + "/tls/server-cert.pem", "hub.venue.example"));
    CHECK(certificate_names(hub + "/tls/server-cert.pem", "localhost"));
    CHECK_FALSE(certificate_names(hub + "/tls/server-cert.pem", "elsewhere.example"));
}

TEST_CASE("init listening on every address without --host uses this machine's .local name, never localhost", "[cli][setup]") {
    std::string machine = admin::machine_host_name();
    if (machine.empty() || machine == "localhost") {
        // The rule for a machine without a usable name: init refuses and asks for --host.
        test::TempDir dir;
        auto init = muster_cli({"init", "--hub", dir.file("hub"), "--name", "Venue hub"});
        CHECK(init.code == 2);
        CHECK_THAT(init.err, Catch::Contains("--host"));
        return;
    }
    test::TempDir dir;
    auto init = muster_cli({"init", "--hub", dir.file("hub"), "--name", "Venue hub"});
    REQUIRE(init.code == 0);
    CHECK_THAT(init.out, Catch::Contains("mDNS") && Catch::Contains("muster server cert --host"));
    auto url = toml_value(read_file(dir.file("hub") + "/sync-server.toml"), "public_url");
    std::string expected_host = machine.find('.') == std::string::npos ? machine + ".local" : machine;
    CHECK(url == "https://" + expected_host + ":8443");
    CHECK_THAT(url, !Catch::Contains("localhost"));
    CHECK(certificate_names(dir.file("hub") + "/tls/server-cert.pem", expected_host));
}

TEST_CASE("public_url rules: loopback is this machine only, a name-less machine must be given --host", "[cli][setup]") {
    using admin::choose_public_address;
    auto loopback = choose_public_address("127.0.0.1", 8443, {}, "kiosk-hub");
    CHECK(loopback.url == "https://localhost:8443");
    CHECK_THAT(loopback.note, Catch::Contains("this machine only"));
    CHECK(choose_public_address("0.0.0.0", 8443, {}, "hubpc").url == "https://hubpc.local:8443");
    CHECK(choose_public_address("::", 8443, {}, "hub.school.example").url == "https://hub.school.example:8443");
    CHECK(choose_public_address("0.0.0.0", 9000, {"10.0.0.5", "hub.local"}, "hubpc").url == "https://10.0.0.5:9000");
    CHECK(choose_public_address("192.168.1.20", 8443, {}, "hubpc").url == "https://192.168.1.20:8443");
    CHECK_THROWS_AS(choose_public_address("0.0.0.0", 8443, {}, "localhost"), admin::UsageError);
    CHECK_THROWS_AS(choose_public_address("0.0.0.0", 8443, {}, ""), admin::UsageError);
    CHECK_THROWS_AS(admin::split_hosts("hub.local,localhost"), admin::UsageError);
    CHECK_THROWS_AS(admin::split_hosts("bad\"name"), admin::UsageError);

    test::TempDir dir;
    auto local = muster_cli({"init", "--hub", dir.file("local"), "--name", "One machine", "--listen", "127.0.0.1", "--port", "18443"});
    REQUIRE(local.code == 0);
    CHECK(toml_value(read_file(dir.file("local/sync-server.toml")), "public_url") == "https://localhost:18443");
    CHECK_THAT(local.out, Catch::Contains("this machine only"));
    for (std::vector<std::string> bad : {std::vector<std::string>{"--listen", "venue-wifi"}, {"--port", "0"},
                                         {"--port", "70000"}, {"--host", "localhost"}}) {
        std::vector<std::string> args = {"init", "--hub", dir.file("refused"), "--name", "Refused"};
        args.insert(args.end(), bad.begin(), bad.end());
        auto refused = muster_cli(args);
        INFO(bad[0] << " " << bad[1]);
        CHECK(refused.code == 2);
        CHECK_FALSE(std::filesystem::exists(dir.file("refused/hub.db")));
    }
}

TEST_CASE("the demo's server stays on loopback with a localhost public_url", "[cli][setup][demo]") {
    test::TempDir dir;
    REQUIRE(muster_cli({"demo", "--hub", dir.file("demo")}).code == 0);
    auto toml = read_file(dir.file("demo/sync-server.toml"));
    CHECK(toml_value(toml, "listen") == "127.0.0.1");
    CHECK(toml_value(toml, "public_url") == "https://localhost:8443");
    CHECK_THAT(read_file(dir.file("demo/devices/entrance-1/device.toml")), Catch::Contains("https://localhost:8443"));
    // Its signed-off events go to two file targets, as the server reads them, in folders that exist.
    auto central = central::load_central_config(config::TomlFile(dir.file("demo/sync-server.toml")));
    REQUIRE(central.targets.size() == 2);
    CHECK(central.targets[0].kind == store::TargetKind::csv);
    CHECK(central.targets[1].kind == store::TargetKind::evidence_csv);
    for (const auto& t : central.targets) CHECK(std::filesystem::is_directory(t.folder));
}

TEST_CASE("server cert --host sets public_url's host, keeps the rest of the file and names the devices to update", "[cli][setup]") {
    CliHub hub(roster_csv);
    REQUIRE(hub.run({"event", "create", "--programme", "ect-y1", "--item", "conference-1", "--cohort", "2025", "--date",
                     "2026-10-14", "--venue", "Leeds", "--rooms", "1"})
                .code == 0);
    REQUIRE(hub.run({"device", "add", "--id", "door-1", "--event", "1", "--pin", "1357"}).code == 0);
    // A setting the staff member changed by hand, and a comment of theirs: both survive.
    std::string config = hub.hub + "/sync-server.toml";
    std::string before = read_file(config);
    {
        std::ofstream f(config, std::ios::binary);
        f << "# our venue: Northbridge Centre\n" << text::replace_all(before, "threads = 2", "threads = 4");
    }
    before = read_file(config);

    auto cert = hub.run({"server", "cert", "--host", "192.168.1.20"});
    REQUIRE(cert.code == 0);
    auto after = read_file(config);
    CHECK(toml_value(after, "public_url") == "https://192.168.1.20:8443");
    CHECK(without_line(after, "public_url") == without_line(before, "public_url"));
    CHECK_THAT(after, Catch::Contains("public_url = \"https://192.168.1.20:8443\"   # what `muster device add` gives devices"));
    CHECK(certificate_names(hub.hub + "/tls/server-cert.pem", "192.168.1.20"));
    CHECK_THAT(cert.out, Catch::Contains("Restart muster-sync-server"));
    CHECK_THAT(cert.out, Catch::Contains("server-cert.pem") && Catch::Contains("devices/door-1"));
    CHECK_THAT(cert.out, Catch::Contains("url = \"https://192.168.1.20:8443\""));

    // Without --host the certificate is made anew for the host devices are already told.
    auto again = hub.run({"server", "cert"});
    REQUIRE(again.code == 0);
    CHECK(read_file(config) == after);
    CHECK(certificate_names(hub.hub + "/tls/server-cert.pem", "192.168.1.20"));
    // A device added now is given the new address.
    REQUIRE(hub.run({"device", "add", "--id", "door-2", "--event", "1", "--pin", "1357"}).code == 0);
    CHECK_THAT(read_file(hub.hub + "/devices/door-2/device.toml"), Catch::Contains("https://192.168.1.20:8443"));
}

TEST_CASE("public_url is replaced in place, or added to the server table, other lines untouched", "[cli][setup]") {
    using admin::with_public_url;
    CHECK(with_public_url("[server]\nport = 9443\npublic_url = \"https://old:9443\"  # devices\n[tls]\n", "https://new:9443") ==
          "[server]\nport = 9443\npublic_url = \"https://new:9443\"   # devices\n[tls]\n");
    CHECK(with_public_url("# hub\n[server]\nport = 1\n[hub]\npublic_url = \"other table\"\n", "https://h:1") ==
          "# hub\n[server]\npublic_url = \"https://h:1\"\nport = 1\n[hub]\npublic_url = \"other table\"\n");
    CHECK(with_public_url("[hub]\ndatabase = \"hub.db\"\n", "https://h:1") == "[hub]\ndatabase = \"hub.db\"\n\n[server]\npublic_url = \"https://h:1\"\n");
    // The same editor sets [hub] database (muster hub migrate), escaping what TOML must.
    CHECK(admin::with_toml_string("[hub]\ndatabase = \"hub.db\"   # SQLite\n[server]\n", "hub", "database",
                                  "postgresql://h/d?application_name=a\"b\\c") ==
          "[hub]\ndatabase = \"postgresql://h/d?application_name=a\\\"b\\\\c\"   # SQLite\n[server]\n");
    auto url = admin::parse_server_url("https://hub.local:9443/");
    CHECK(url.scheme == "https");
    CHECK(url.host == "hub.local");
    CHECK(url.port == 9443);
    CHECK(admin::parse_server_url("hub.local").scheme.empty());
}

TEST_CASE("the hub folder option is taken before the command as well as after it", "[cli][setup]") {
    CliHub hub(roster_csv);
    auto before = muster_cli({"--hub", hub.hub, "roster", "import", hub.write("again.csv", roster_csv)});
    CHECK(before.code == 0);
    CHECK_THAT(before.out, Catch::Contains("2 unchanged"));
    auto after = hub.run({"attendance", "export"});
    CHECK(muster_cli({"--hub=" + hub.hub, "attendance", "export"}).out == after.out);
    auto twice = muster_cli({"--hub", hub.hub, "event", "list", "--hub", hub.hub + "-other"});
    CHECK(twice.code == 2);
    CHECK_THAT(twice.err, Catch::Contains("--hub given twice"));
    CHECK(muster_cli({"--hub"}).code == 2);
    auto nothing = muster_cli({"--hub", hub.hub});
    CHECK(nothing.code == 2);
    CHECK_THAT(nothing.err, Catch::Contains("Commands:"));
}

TEST_CASE("a bare group lists its commands, an unknown one in a group names the group's commands", "[cli][setup]") {
    // Every group the tool has, found from the command names: groups added later are covered.
    std::map<std::string, std::vector<std::string>> groups;
    for (const auto& c : admin::all_commands())
        if (auto space = c.name.find(' '); space != std::string::npos) groups[c.name.substr(0, space)].push_back(c.name);
    REQUIRE(groups.count("roster"));
    REQUIRE(groups.count("server"));
    for (const auto& [group, names] : groups) {
        INFO(group);
        auto bare = muster_cli({group});
        CHECK(bare.code == 2);
        auto asked = muster_cli({group, "--help"});
        CHECK(asked.code == 0);
        auto unknown = muster_cli({group, "frob"});
        CHECK(unknown.code == 2);
        CHECK_THAT(unknown.err, Catch::Contains("unknown command '" + group + " frob'"));
        for (const auto& name : names) {
            CHECK_THAT(bare.err, Catch::Contains(name));
            CHECK_THAT(asked.out, Catch::Contains(name));
            CHECK_THAT(unknown.err, Catch::Contains(name));
        }
    }
    CHECK(muster_cli({"help", "roster"}).code == 0);
    CHECK_THAT(muster_cli({"help", "roster", "import"}).out, Catch::Contains("Usage: muster roster import"));
}

TEST_CASE("--help lists roles, programme items, export columns and statuses from the code's tables", "[cli][setup]") {
    auto overview = muster_cli({"--help"});
    REQUIRE(overview.code == 0);
    auto roster_help = muster_cli({"roster", "import", "--help"}).out;
    auto roles = muster_cli({"help", "roles"});
    REQUIRE(roles.code == 0);
    for (Role r : all_roles()) {
        CHECK_THAT(overview.out, Catch::Contains(std::string(to_string(r))));
        CHECK_THAT(roster_help, Catch::Contains(std::string(to_string(r))));
        for (auto spelling : role_spellings(r)) CHECK_THAT(roles.out, Catch::Contains(std::string(spelling)));
    }
    auto event_help = muster_cli({"event", "create", "--help"}).out;
    auto programmes = muster_cli({"help", "programmes"}).out;
    for (const auto& t : programme::all_templates())
        for (const auto& item : t.items) {
            CHECK_THAT(overview.out, Catch::Contains(std::string(t.code)) && Catch::Contains(std::string(item.code)));
            CHECK_THAT(event_help, Catch::Contains(std::string(item.title)));
            CHECK_THAT(programmes, Catch::Contains(std::string(item.title)));
        }
    auto export_help = muster_cli({"attendance", "export", "--help"}).out;
    for (const auto& c : attendance::export_columns()) {
        CHECK_THAT(overview.out, Catch::Contains(std::string(c.name)));
        CHECK_THAT(export_help, Catch::Contains(std::string(c.name) + " ") && Catch::Contains(std::string(c.meaning)));
    }
    for (AttendanceStatus s : all_attendance_statuses()) {
        CHECK_THAT(overview.out, Catch::Contains(std::string(to_string(s))));
        CHECK_THAT(export_help, Catch::Contains(std::string(label(s))));
    }
    auto unknown = muster_cli({"help", "colours"});
    CHECK(unknown.code == 2);
    CHECK_THAT(unknown.err, Catch::Contains("roles") && Catch::Contains("statuses"));
}

TEST_CASE("an attendance export that fails leaves the earlier file as it was", "[cli][setup][export]") {
    CliHub hub(roster_csv);
    std::string out = hub.write("attendance.csv", "the earlier export\n");
    auto no_events = hub.run({"attendance", "export", "--out", out});
    CHECK(no_events.code == 1);
    CHECK_THAT(no_events.err, Catch::Contains("no events"));
    CHECK(read_file(out) == "the earlier export\n");
    CHECK(hub.run({"attendance", "export"}).out.empty());  // nor a header alone on standard output

    REQUIRE(hub.run({"event", "create", "--programme", "ect-y1", "--item", "conference-1", "--cohort", "2025", "--date",
                     "2026-10-14", "--venue", "Leeds", "--rooms", "1"})
                .code == 0);
    auto no_such = hub.run({"attendance", "export", "--event", "99", "--out", out});
    CHECK(no_such.code == 2);
    CHECK_THAT(no_such.err, Catch::Contains("no event 99"));
    CHECK(read_file(out) == "the earlier export\n");

    auto good = hub.run({"attendance", "export", "--out", out});
    REQUIRE(good.code == 0);
    auto written = read_file(out);
    CHECK(written.rfind("\xEF\xBB\xBF" "event_id,event_date,", 0) == 0);  // byte-order mark first
    CHECK_THAT(written, Catch::Contains(",absent,"));

    // Nobody expected at an event (a mentor conference for a roster without mentors).
    REQUIRE(hub.run({"event", "create", "--programme", "mentor", "--item", "clinic", "--cohort", "2025", "--date",
                     "2026-11-04", "--venue", "Leeds"})
                .code == 0);
    auto empty = hub.run({"attendance", "export", "--event", "2", "--out", out});
    CHECK(empty.code == 1);
    CHECK_THAT(empty.err, Catch::Contains("nothing to export"));
    CHECK(read_file(out) == written);
    // A file that cannot be written (its folder is missing): no partial file anywhere.
    auto unwritable = hub.run({"attendance", "export", "--out", hub.dir.file("missing/attendance.csv")});
    CHECK(unwritable.code == 1);
    CHECK_FALSE(std::filesystem::exists(hub.dir.file("missing")));
}

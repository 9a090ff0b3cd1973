// The [[central.target]] tables of the server's file: the example parses, a good file gives
// every field, and each bad field is refused by its path (central.target[N].field).
#include "muster/central/target_config.hpp"
#include "muster/config/toml_file.hpp"
#include "temp_dir.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

using namespace muster::central;

namespace {

struct Files {
    muster::test::TempDir dir;
    Files() {
        std::ofstream(dir.file("crm.token")) << "token\n";
        std::filesystem::permissions(dir.file("crm.token"), std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
        std::ofstream(dir.file("map.json")) << "{\"fields\": {}}";
        std::filesystem::create_directories(dir.path() / "out");
    }
    CentralConfig load(const std::string& text) {
        std::ofstream(dir.file("s.toml")) << text;
        muster::config::TomlFile f(dir.file("s.toml"));
        return load_central_config(f);
    }
};

const std::string https_target = "[[central.target]]\nname = \"crm\"\nkind = \"https\"\n";

}  // namespace

TEST_CASE("The example server file has no central targets and its commented ones parse", "[central][config]") {
    muster::config::TomlFile example(std::string(MUSTER_SOURCE_DIR) + "/device-config/sync-server.example.toml");
    auto c = load_central_config(example);
    CHECK(c.poll_ms == 1000);
    CHECK(c.targets.empty());

    // The commented-out targets, uncommented, are a working file (with their files made).
    Files files;
    std::ifstream in(std::string(MUSTER_SOURCE_DIR) + "/device-config/sync-server.example.toml");
    std::string line, text;
    bool in_central = false;
    while (std::getline(in, line)) {
        if (line.rfind("[central]", 0) == 0) in_central = true;
        if (!in_central) continue;
        if (line.rfind("# [[central.target]]", 0) == 0 || (line.rfind("# ", 0) == 0 && line.find(" = ") != std::string::npos &&
                                                          line.find(" = ") < 24))
            line = line.substr(2);
        text += line + "\n";
    }
    std::filesystem::create_directories(files.dir.path() / "secrets");
    std::filesystem::create_directories(files.dir.path() / "tls");
    std::filesystem::create_directories(files.dir.path() / "outgoing/crm");
    std::filesystem::create_directories(files.dir.path() / "outgoing/lead-provider");
    std::ofstream(files.dir.file("secrets/crm.token")) << "t";
    std::filesystem::permissions(files.dir.file("secrets/crm.token"), std::filesystem::perms::owner_read);
    std::ofstream(files.dir.file("tls/crm-ca.pem")) << "";
    std::filesystem::copy_file(std::string(MUSTER_SOURCE_DIR) + "/device-config/central-mapping.insightly.json",
                               files.dir.file("central-mapping.insightly.json"));
    auto all = files.load(text);
    REQUIRE(all.targets.size() == 3);
    CHECK(all.targets[0].name == "crm");
    CHECK(all.targets[0].auth == AuthKind::bearer);
    CHECK(all.targets[1].kind == muster::store::TargetKind::csv);
    CHECK(all.targets[2].kind == muster::store::TargetKind::evidence_csv);
    CHECK(all.targets[2].batch_size == 1000);
}

TEST_CASE("A good central section gives every field", "[central][config]") {
    Files files;
    auto c = files.load("[central]\npoll_ms = 250\n" + https_target +
                        "url = \"https://crm.example.org:8443/api/attendance?x=1\"\nauth = \"bearer\"\n"
                        "secret_file = \"crm.token\"\nmapping = \"map.json\"\nbatch_size = 20\nrequests_per_s = 0.5\n"
                        "timeout_ms = 2000\nbackoff_initial_ms = 50\nbackoff_max_ms = 5000\n"
                        "[[central.target]]\nname = \"files\"\nkind = \"csv\"\nfolder = \"out\"\n");
    CHECK(c.poll_ms == 250);
    REQUIRE(c.targets.size() == 2);
    const auto& t = c.targets[0];
    CHECK(t.kind == muster::store::TargetKind::https);
    CHECK(t.url == "https://crm.example.org:8443/api/attendance?x=1");
    CHECK(t.auth == AuthKind::bearer);
    CHECK(t.secret_file == files.dir.path() / "crm.token");
    CHECK(t.mapping == files.dir.path() / "map.json");
    CHECK(t.batch_size == 20);
    CHECK(t.requests_per_s == Approx(0.5));
    CHECK(t.timeout_ms == 2000);
    CHECK(t.backoff_initial_ms == 50);
    CHECK(t.backoff_max_ms == 5000);
    CHECK(c.targets[1].folder == files.dir.path() / "out");
    CHECK(c.targets[1].batch_size == 100);
}

TEST_CASE("A bad central target is refused by the path of its field", "[central][config]") {
    Files files;
    auto refused = [&](const std::string& text) -> std::string {
        try {
            files.load(text);
        } catch (const muster::ConfigError& e) {
            return e.what();
        }
        return "accepted";
    };
    const std::string url = "url = \"https://crm.example.org/x\"\n";
    CHECK_THAT(refused(https_target + url + https_target + url), Catch::Contains("central.target[1].name") && Catch::Contains("another target"));
    CHECK_THAT(refused("[[central.target]]\nname = \"CRM!\"\nkind = \"https\"\n" + url), Catch::Contains("central.target[0].name"));
    CHECK_THAT(refused("[[central.target]]\nkind = \"https\"\n" + url), Catch::Contains("central.target[0].name: missing"));
    CHECK_THAT(refused("[[central.target]]\nname = \"x\"\nkind = \"ftp\"\n"), Catch::Contains("central.target[0].kind"));
    CHECK_THAT(refused(https_target), Catch::Contains("central.target[0].url: missing"));
    CHECK_THAT(refused(https_target + "url = \"http://crm.example.org/x\"\n"), Catch::Contains("central.target[0].url") && Catch::Contains("https"));
    CHECK_THAT(refused(https_target + "url = \"ftp://crm.example.org/x\"\n"), Catch::Contains("central.target[0].url"));
    CHECK(refused(https_target + "url = \"http://127.0.0.1:9000/x\"\n") == "accepted");
    CHECK(refused(https_target + "url = \"http://[::1]:9000/x\"\n") == "accepted");
    CHECK_THAT(refused(https_target + url + "auth = \"basic\"\n"), Catch::Contains("central.target[0].auth"));
    CHECK_THAT(refused(https_target + url + "auth = \"bearer\"\n"), Catch::Contains("central.target[0].secret_file: missing"));
    CHECK_THAT(refused(https_target + url + "auth = \"hmac\"\nsecret_file = \"none.key\"\n"),
               Catch::Contains("central.target[0].secret_file") && Catch::Contains("does not exist"));
    std::ofstream(files.dir.file("open.token")) << "t";
    std::filesystem::permissions(files.dir.file("open.token"), std::filesystem::perms::owner_read | std::filesystem::perms::group_read);
    CHECK_THAT(refused(https_target + url + "auth = \"bearer\"\nsecret_file = \"open.token\"\n"),
               Catch::Contains("central.target[0].secret_file") && Catch::Contains("chmod 600"));
    CHECK_THAT(refused(https_target + url + "batch_size = 0\n"), Catch::Contains("central.target[0].batch_size"));
    CHECK_THAT(refused(https_target + url + "batch_size = 1001\n"), Catch::Contains("central.target[0].batch_size"));
    CHECK_THAT(refused(https_target + url + "requests_per_s = -1\n"), Catch::Contains("central.target[0].requests_per_s"));
    CHECK_THAT(refused(https_target + url + "timeout_ms = 5\n"), Catch::Contains("central.target[0].timeout_ms"));
    CHECK_THAT(refused(https_target + url + "backoff_initial_ms = 100\nbackoff_max_ms = 50\n"),
               Catch::Contains("central.target[0].backoff_max_ms"));
    CHECK_THAT(refused(https_target + url + "mapping = \"nope.json\"\n"), Catch::Contains("central.target[0].mapping"));
    CHECK_THAT(refused(https_target + url + "ca_file = \"nope.pem\"\n"), Catch::Contains("central.target[0].ca_file"));
    CHECK_THAT(refused("[[central.target]]\nname = \"f\"\nkind = \"csv\"\n"), Catch::Contains("central.target[0].folder: missing"));
    CHECK_THAT(refused("[[central.target]]\nname = \"f\"\nkind = \"evidence-csv\"\nfolder = \"nowhere\"\n"),
               Catch::Contains("central.target[0].folder"));
    CHECK_THAT(refused("[central]\ntarget = 3\n"), Catch::Contains("central.target"));
    CHECK_THAT(refused("[central]\npoll_ms = 0\n"), Catch::Contains("central.poll_ms"));
}

TEST_CASE("Target URLs are taken apart into host, port and target", "[central][config]") {
    auto u = parse_target_url("https://crm.example.org/api?a=1#frag");
    REQUIRE(u);
    CHECK(u->tls);
    CHECK(u->host == "crm.example.org");
    CHECK(u->port == "443");
    CHECK(u->target == "/api?a=1");
    auto v6 = parse_target_url("http://[::1]:8080");
    REQUIRE(v6);
    CHECK_FALSE(v6->tls);
    CHECK(v6->host == "::1");
    CHECK(v6->port == "8080");
    CHECK(v6->target == "/");
    CHECK_FALSE(parse_target_url("https://user:pw@crm.example.org/"));
    CHECK_FALSE(parse_target_url("https://crm.example.org:99999/"));
    CHECK_FALSE(parse_target_url("crm.example.org/"));
    CHECK(is_loopback_host("127.3.4.5"));
    CHECK(is_loopback_host("::1"));
    CHECK_FALSE(is_loopback_host("localhost"));
    CHECK_FALSE(is_loopback_host("10.0.0.1"));
}

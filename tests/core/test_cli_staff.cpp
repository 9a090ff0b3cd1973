// `muster staff add|list|disable|enable|password|unlock` (docs/staff.md): passwords on stdin
// (never an option), one account per email, no hash in any output, and the accounts' state
// as the store's login sees it. Argon2 at staff::test_cost, except where the hub's own cost
// is the point.
#include "cli_run.hpp"

#include "muster/store/schema.hpp"
#include "muster/store/staff_store.hpp"
#include "muster/time/uk_time.hpp"

#include <catch2/catch.hpp>

using namespace muster;

namespace {

const std::string good = "plum orchard at noon";

store::LoginResult login(const test::CliHub& hub, const std::string& email, const std::string& password) {
    auto db = store::open_database(hub.hub + "/hub.db");
    return store::login(*db, email, password, uk_time::now_ms(), staff::test_cost);
}

}  // namespace

TEST_CASE("staff add takes the password from stdin and staff list shows the account without it", "[cli][staff]") {
    test::CliHub hub;
    auto added = hub.run_with_input({"staff", "add", "--name", "Ann Example", "--email", "Ann@Hub.org", "--role", "admin"}, good + "\n");
    INFO(added.err);
    REQUIRE(added.code == 0);
    CHECK(added.out.find("Staff account 1 added: ann@hub.org, admin") != std::string::npos);
    CHECK(added.out.find(good) == std::string::npos);

    auto listed = hub.run({"staff", "list"});
    CHECK(listed.code == 0);
    CHECK(listed.out.find("1  Ann Example  ann@hub.org  admin  in service") != std::string::npos);
    CHECK(listed.out.find("last login never") != std::string::npos);
    CHECK(listed.out.find("argon2") == std::string::npos);
    CHECK(login(hub, "ann@hub.org", good).session);

    // A second account, role staff by default, with a Windows line end on its password.
    REQUIRE(hub.run_with_input({"staff", "add", "--name", "Bo", "--email", "bo@hub.org"}, "another good password\r\n").code == 0);
    CHECK(hub.run({"staff", "list"}).out.find("2  Bo  bo@hub.org  staff") != std::string::npos);
    CHECK(login(hub, "bo@hub.org", "another good password").session);
}

TEST_CASE("staff add refuses a password on the command line, a weak one, none and a taken email", "[cli][staff]") {
    test::CliHub hub;
    auto option = hub.run_with_input({"staff", "add", "--name", "Ann", "--email", "ann@hub.org", "--password", good}, good + "\n");
    CHECK(option.code == 2);
    CHECK(option.err.find("unknown option --password") != std::string::npos);

    auto weak = hub.run_with_input({"staff", "add", "--name", "Ann", "--email", "ann@hub.org"}, "password1234\n");
    CHECK(weak.code == 2);
    CHECK(weak.err.find("password refused: one of the most common passwords") != std::string::npos);
    auto short_one = hub.run_with_input({"staff", "add", "--name", "Ann", "--email", "ann@hub.org"}, "eleven char\n");
    CHECK(short_one.err.find("shorter than 12 characters") != std::string::npos);
    auto none = hub.run_with_input({"staff", "add", "--name", "Ann", "--email", "ann@hub.org"}, "");
    CHECK(none.code == 2);
    CHECK(none.err.find("no password given") != std::string::npos);
    CHECK(hub.run({"staff", "list"}).code == 1);  // nothing was added

    auto role = hub.run_with_input({"staff", "add", "--name", "Ann", "--email", "ann@hub.org", "--role", "boss"}, good + "\n");
    CHECK(role.code == 2);
    CHECK(role.err.find("--role must be admin or staff") != std::string::npos);
    auto email = hub.run_with_input({"staff", "add", "--name", "Ann", "--email", "ann at hub"}, good + "\n");
    CHECK(email.code == 2);
    CHECK(email.err.find("--email: not an email address") != std::string::npos);

    REQUIRE(hub.run_with_input({"staff", "add", "--name", "Ann", "--email", "ann@hub.org"}, good + "\n").code == 0);
    auto taken = hub.run_with_input({"staff", "add", "--name", "Other Ann", "--email", "ANN@hub.org"}, good + "\n");
    CHECK(taken.code == 2);
    CHECK(taken.err.find("staff account 1 already has the email ann@hub.org") != std::string::npos);
}

TEST_CASE("staff add hashes at the hub's own cost when the tool is not told otherwise", "[cli][staff]") {
    test::CliHub hub;
    REQUIRE(hub.run_with_input({"staff", "add", "--name", "Ann", "--email", "ann@hub.org"}, good + "\n", staff::production_cost).code == 0);
    auto db = store::open_database(hub.hub + "/hub.db");
    auto hash = db->prepare("SELECT password_hash FROM staff_accounts").query_one([](const db::Statement& r) { return r.text(0); });
    CHECK(hash.value_or("").rfind("$argon2id$v=19$m=65536,t=3,p=1$", 0) == 0);
    CHECK(admin::PasswordInput{}.cost == staff::production_cost);
}

TEST_CASE("staff disable, enable, password and unlock change what a login meets", "[cli][staff]") {
    test::CliHub hub;
    REQUIRE(hub.run_with_input({"staff", "add", "--name", "Ann", "--email", "ann@hub.org"}, good + "\n").code == 0);

    auto disabled = hub.run({"staff", "disable", "--id", "1"});
    CHECK(disabled.code == 0);
    CHECK(disabled.out.find("disabled") != std::string::npos);
    CHECK(hub.run({"staff", "disable", "--id", "1"}).code == 1);
    CHECK(hub.run({"staff", "list"}).out.find("disabled 20") != std::string::npos);
    CHECK(login(hub, "ann@hub.org", good).refusal == store::LoginRefusal::disabled);
    CHECK(hub.run({"staff", "enable", "--id", "1"}).code == 0);
    CHECK(hub.run({"staff", "enable", "--id", "1"}).code == 1);
    CHECK(login(hub, "ann@hub.org", good).session);

    for (int i = 0; i < 5; ++i) login(hub, "ann@hub.org", "not the password");
    CHECK(login(hub, "ann@hub.org", good).refusal == store::LoginRefusal::locked);
    CHECK(hub.run({"staff", "list"}).out.find("locked until") != std::string::npos);
    CHECK(hub.run({"staff", "unlock", "--id", "1"}).code == 0);
    CHECK(hub.run({"staff", "unlock", "--id", "1"}).code == 1);
    CHECK(login(hub, "ann@hub.org", good).session);

    const std::string fresh = "a brand new passphrase";
    auto changed = hub.run_with_input({"staff", "password", "--id", "1"}, fresh + "\n");
    CHECK(changed.code == 0);
    CHECK(login(hub, "ann@hub.org", good).refusal == store::LoginRefusal::unknown_or_wrong);
    CHECK(login(hub, "ann@hub.org", fresh).session);
    CHECK(hub.run_with_input({"staff", "password", "--id", "1"}, "too short\n").code == 2);
    CHECK(login(hub, "ann@hub.org", fresh).session);

    for (const char* command : {"disable", "enable", "password", "unlock"}) {
        auto missing = hub.run_with_input({"staff", command, "--id", "7"}, fresh + "\n");
        CHECK(missing.code == 2);
        CHECK(missing.err.find("no staff account 7") != std::string::npos);
    }
}

TEST_CASE("muster help lists the staff commands", "[cli][staff]") {
    auto help = test::muster_cli({"help"});
    CHECK(help.code == 0);
    for (const char* command : {"staff add", "staff list", "staff disable", "staff enable", "staff password", "staff unlock"})
        CHECK(help.out.find(command) != std::string::npos);
    auto group = test::muster_cli({"staff", "--help"});
    CHECK(group.out.find("The staff commands:") != std::string::npos);
    // A staff account's --role is admin|staff: the participants' roles are not offered.
    auto add = test::muster_cli({"staff", "add", "--help"});
    CHECK(add.out.find("--role admin|staff") != std::string::npos);
    CHECK(add.out.find("induction_tutor") == std::string::npos);
}

#include "muster/model/field_limits.hpp"
#include "muster/util/uuid.hpp"

#include <catch2/catch.hpp>

using namespace muster;

TEST_CASE("Text fields: length counts characters, control characters and broken UTF-8 are refused", "[limits]") {
    CHECK_FALSE(limits::text_problem("", 5));
    CHECK_FALSE(limits::text_problem("Siân", 4));  // 5 bytes, 4 characters
    CHECK(limits::text_problem("Siân!", 4) == "longer than 4 characters");
    CHECK(limits::text_problem(std::string("a\0b", 3), 10) == "holds a control character");
    CHECK(limits::text_problem("tab\there", 10) == "holds a control character");
    CHECK(limits::text_problem("line\nbreak", 20) == "holds a control character");
    CHECK(limits::text_problem("del\x7f", 10) == "holds a control character");
    CHECK(limits::text_problem("\xff\xfe", 10) == "is not UTF-8");
}

TEST_CASE("A record's first text problem names its field", "[limits]") {
    CheckIn c;
    c.uuid = new_uuid(1'795'360'000'000);
    c.device_id = "entrance-1";
    c.reason = "Forgot badge";
    c.staff = "Jo Bloggs";
    CHECK_FALSE(limits::problem_in(c));

    c.reason = std::string(limits::reason_chars + 1, 'x');
    CHECK(limits::problem_in(c) == "reason: longer than 500 characters");
    c.reason.clear();
    c.staff = std::string("Jo\0", 3);
    CHECK(limits::problem_in(c) == "staff: holds a control character");
    c.staff.reset();
    c.uuid = "not-a-uuid";
    CHECK(limits::problem_in(c) == "uuid: not a UUID");

    Correction v;
    v.uuid = new_uuid(1'795'360'000'000);
    v.target_uuid = "x";
    v.reason = "Scanned twice";
    v.author = "Jo";
    CHECK(limits::problem_in(v) == "target_uuid: not a UUID");
    v.target_uuid.reset();
    v.author = std::string(limits::staff_chars + 1, 'a');
    CHECK(limits::problem_in(v) == "author: longer than 100 characters");

    Participant p;
    p.first_name = "Siân";
    p.last_name = "O'Brien";
    CHECK_FALSE(limits::problem_in(p));
    p.school_name = " \tLeading tab";
    CHECK(limits::problem_in(p) == "school_name: holds a control character");
}

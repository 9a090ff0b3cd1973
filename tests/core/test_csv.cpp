#include "muster/csv/csv_reader.hpp"
#include "muster/csv/csv_writer.hpp"

#include <catch2/catch.hpp>

#include <sstream>

using namespace muster;

namespace {
std::vector<csv::Record> all(std::string_view text) {
    csv::Reader r(text);
    std::vector<csv::Record> out;
    while (auto rec = r.next()) out.push_back(*rec);
    return out;
}
}  // namespace

TEST_CASE("RFC 4180: quoted commas, doubled quotes and line breaks inside fields", "[csv]") {
    auto recs = all("a,b,c\r\n\"x, y\",\"say \"\"hi\"\"\",\"two\nlines\"\r\nlast,,\r\n");
    REQUIRE(recs.size() == 3);
    CHECK(recs[1].fields == std::vector<std::string>{"x, y", "say \"hi\"", "two\nlines"});
    CHECK(recs[1].line == 2);
    CHECK(recs[2].line == 4);  // the quoted line break moved it down a line
    CHECK(recs[2].fields == std::vector<std::string>{"last", "", ""});
}

TEST_CASE("a UTF-8 BOM is skipped, LF and CRLF both end records, blank lines are skipped", "[csv]") {
    auto recs = all("\xEF\xBB\xBFname,role\nSiân,ECT\r\n\r\nZoë,Mentor");
    REQUIRE(recs.size() == 3);
    CHECK(recs[0].fields[0] == "name");
    CHECK(recs[1].fields[0] == "Siân");
    CHECK(recs[2].fields == std::vector<std::string>{"Zoë", "Mentor"});
    CHECK(recs[2].line == 4);
}

TEST_CASE("broken quoting is a parse error naming the line", "[csv]") {
    csv::Reader open_quote("a,b\n\"never closed,x\n");
    open_quote.next();
    CHECK_THROWS_WITH(open_quote.next(), Catch::Contains("line 2") && Catch::Contains("never closed"));
    csv::Reader stray("a,b\n\"ok\"x,y\n");
    stray.next();
    CHECK_THROWS_WITH(stray.next(), Catch::Contains("after a closing quote"));
}

TEST_CASE("writing quotes only what needs it and defuses spreadsheet formulas", "[csv]") {
    CHECK(csv::quote("plain") == "plain");
    CHECK(csv::quote("a,b") == "\"a,b\"");
    CHECK(csv::quote("O\"Brien") == "\"O\"\"Brien\"");
    CHECK(csv::quote_for_spreadsheet("=HYPERLINK(\"x\")") == "\"'=HYPERLINK(\"\"x\"\")\"");
    CHECK(csv::quote_for_spreadsheet("O'Brien") == "O'Brien");
}

TEST_CASE("every OWASP formula trigger is defused, after leading spaces too", "[csv][limits]") {
    CHECK(csv::quote_for_spreadsheet("+44 113") == "'+44 113");
    CHECK(csv::quote_for_spreadsheet("-2+3") == "'-2+3");
    CHECK(csv::quote_for_spreadsheet("@SUM(A1)") == "'@SUM(A1)");
    CHECK(csv::quote_for_spreadsheet("=1+1") == "'=1+1");
    CHECK(csv::quote_for_spreadsheet("\t=1+1") == "'\t=1+1");
    CHECK(csv::quote_for_spreadsheet("\r=1+1") == "\"'\r=1+1\"");  // quoted: it holds a CR
    CHECK(csv::quote_for_spreadsheet("\n=1+1") == "\"'\n=1+1\"");
    CHECK(csv::quote_for_spreadsheet(" =1+1") == "' =1+1");  // the apostrophe now leads: no quotes needed
    CHECK(csv::quote_for_spreadsheet("  \t@x") == "'  \t@x");
    CHECK(csv::quote_for_spreadsheet(" \nx") == "\"' \nx\"");
    // Harmless text is left as it was.
    CHECK(csv::quote_for_spreadsheet("Leeds") == "Leeds");
    CHECK(csv::quote_for_spreadsheet("a=b") == "a=b");
    CHECK(csv::quote_for_spreadsheet(" Leeds") == "\" Leeds\"");
    CHECK(csv::quote_for_spreadsheet("   ") == "\"   \"");
    CHECK(csv::quote_for_spreadsheet("") == "");
}

TEST_CASE("the CSV writer makes files Excel opens well", "[csv][writer]") {
    std::ostringstream out;
    csv::Writer w(out, {"trn", "urn", "name", "note", "count"});
    SECTION("a byte-order mark, then the header, rows ended by CRLF") {
        w.identifier("0123456").identifier("012345").text("Siân O'Brien").text("").number(3).end_row();
        CHECK(out.str() == "\xEF\xBB\xBF" "trn,urn,name,note,count\r\n"
                           "\"=\"\"0123456\"\"\",\"=\"\"012345\"\"\",Siân O'Brien,,3\r\n");
        CHECK(w.rows() == 1);
    }
    SECTION("text is quoted by RFC 4180 and neutralised against formulas") {
        w.empty().empty().text("Smith, \"Jo\"").text("=HYPERLINK(\"http://x\")").number(-2).end_row();
        CHECK_THAT(out.str(), Catch::EndsWith(",,\"Smith, \"\"Jo\"\"\",\"'=HYPERLINK(\"\"http://x\"\")\",-2\r\n"));
        std::ostringstream more;
        csv::Writer m(more, {"a", "b", "c", "d", "e"});
        m.text("+1").text("-1").text("@x").text("\tx").text("\rx").end_row();
        CHECK_THAT(more.str(), Catch::EndsWith("'+1,'-1,'@x,'\tx,\"'\rx\"\r\n"));
    }
    SECTION("an identifier that is not all digits is text, neutralised, never a formula") {
        w.identifier("=1+1").identifier("12 34").identifier("").text("x").number(0).end_row();
        CHECK_THAT(out.str(), Catch::EndsWith("\r\n'=1+1,12 34,,x,0\r\n"));
    }
    SECTION("the plain style writes identifiers as they are, for imports") {
        std::ostringstream plain;
        csv::Writer p(plain, {"trn"}, csv::IdentifierStyle::plain);
        p.identifier("0123456").end_row();
        CHECK(plain.str() == "\xEF\xBB\xBFtrn\r\n0123456\r\n");
    }
    SECTION("a row of the wrong width is refused, so columns never shift") {
        w.text("a").text("b");
        CHECK_THROWS_AS(w.end_row(), std::logic_error);
        std::ostringstream wide;
        csv::Writer one(wide, {"only"});
        one.text("a");
        CHECK_THROWS_AS(one.text("b"), std::logic_error);
    }
}

TEST_CASE("what the CSV writer writes reads back as the same cells", "[csv][writer]") {
    std::ostringstream out;
    csv::Writer w(out, {"name", "note"});
    w.text("Line one\nline two").text("a,b").end_row();
    std::string text = out.str();  // the reader keeps a view of it
    csv::Reader r(text);
    auto header = r.next();
    REQUIRE(header);
    CHECK(header->fields == std::vector<std::string>{"name", "note"});  // the reader skips the mark
    auto row = r.next();
    REQUIRE(row);
    CHECK(row->fields == std::vector<std::string>{"Line one\nline two", "a,b"});
}

#pragma once
// CSV for people who open it in Excel (docs/exports.md): one rule for every export the hub
// hands out, so each file opens the same way.
//  - UTF-8 with a byte-order mark (Excel otherwise reads UTF-8 as the Windows code page and
//    turns "Siân" into "SiÃ¢n"), rows ended by CRLF, RFC 4180 quoting;
//  - the header is the caller's fixed list of columns, and every row must have exactly that
//    many cells (a row of the wrong width throws), so the column order is stable;
//  - free text (names, schools, reasons) is neutralised against formula injection: a cell
//    that would start with = + - @ TAB CR or LF gets a leading apostrophe (csv::quote_for_spreadsheet);
//  - identifiers with leading zeros (TRN, URN) are kept as text: see Writer::identifier.
#include <cstdint>
#include <initializer_list>
#include <iosfwd>
#include <span>
#include <string>
#include <string_view>

namespace muster::csv {

inline constexpr std::string_view utf8_bom = "\xEF\xBB\xBF";

// How identifier cells are written.
enum class IdentifierStyle {
    // ="0123456": Excel and LibreOffice show the digits as text, leading zero kept. The
    // default: these files are for spreadsheets.
    excel_text,
    // The digits as they are (a CRM import or a script reads them literally; Excel drops
    // the leading zero when it opens the file).
    plain,
};

class Writer {
public:
    // Writes the byte-order mark and the header row.
    Writer(std::ostream& out, std::span<const std::string_view> header, IdentifierStyle ids = IdentifierStyle::excel_text);
    Writer(std::ostream& out, std::initializer_list<std::string_view> header,
           IdentifierStyle ids = IdentifierStyle::excel_text);

    // Free text: quoted when needed, neutralised when it could start a formula.
    Writer& text(std::string_view value);
    // A number the program made (an id, a count): written bare, never neutralised.
    Writer& number(std::int64_t value);
    // An identifier made of digits whose leading zeros matter (TRN, URN).
    //
    // Excel turns a bare 0123456 into the number 123456, quoted or not: CSV has no types.
    // The one form it keeps as text on opening is a formula that yields a string, ="0123456".
    // That is itself a formula, which the injection rule exists to prevent, so the rule is:
    // only a value that is entirely ASCII digits (nothing else can be inside the quotes)
    // is wrapped, by this function and no other; anything else goes through text() and is
    // neutralised like any cell. A digits-only string literal can compute nothing and call
    // nothing, so the wrapper cannot carry an attack. The trade-off: readers other than
    // spreadsheets (a CRM import, a script) see the literal ="0123456"; IdentifierStyle::plain
    // writes the bare digits for them.
    Writer& identifier(std::string_view value);
    // An empty cell.
    Writer& empty();
    // Ends the row (CRLF). Throws std::logic_error unless it has as many cells as the header.
    Writer& end_row();

    std::size_t rows() const { return rows_; }  // data rows ended so far

private:
    void separator();
    std::ostream& out_;
    std::size_t columns_;
    std::size_t cell_ = 0;
    std::size_t rows_ = 0;
    IdentifierStyle ids_;
};

}  // namespace muster::csv

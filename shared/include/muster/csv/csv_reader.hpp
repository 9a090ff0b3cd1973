#pragma once
// RFC 4180 CSV: quoted fields with commas, doubled quotes and line breaks; CRLF or LF;
// a UTF-8 byte-order mark at the start is skipped. Records carry the line they start on,
// so an import can say "line 14, column TRN".
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace muster::csv {

struct Record {
    std::size_t line = 0;  // 1-based line where the record starts
    std::vector<std::string> fields;
};

class ParseError : public std::runtime_error {
public:
    ParseError(std::size_t line, const std::string& what);
    std::size_t line() const { return line_; }

private:
    std::size_t line_;
};

class Reader {
public:
    // `delimiter` separates fields: ',' for CSV; ';' or '\t' for what some spreadsheets
    // write under the name CSV (see guess_delimiter).
    explicit Reader(std::string_view text, char delimiter = ',');
    // The next record, or nullopt at the end. Blank lines are skipped. Throws ParseError
    // for a quote left open at the end of the file or a stray character after a
    // closing quote.
    std::optional<Record> next();
    std::size_t bytes_read() const { return pos_; }

private:
    std::string_view text_;
    std::size_t pos_ = 0;
    std::size_t line_ = 1;
    char delimiter_ = ',';
};

// The separator of a file's header line (its first line, after a UTF-8 byte-order mark):
// ',' if it holds a comma outside quotes, else ';' or '\t' if it holds one of those (a
// spreadsheet in a locale where the comma is the decimal mark writes semicolons), else ','.
char guess_delimiter(std::string_view text);

// Quotes a field for writing when it needs it (comma, quote, CR/LF, leading/trailing space).
std::string quote(std::string_view field);
// Formula-injection safe variant for files people open in Excel: a field starting with
// = + - @ TAB CR or LF, after any leading spaces, is prefixed with an apostrophe.
std::string quote_for_spreadsheet(std::string_view field);

}  // namespace muster::csv

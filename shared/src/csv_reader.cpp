#include "muster/csv/csv_reader.hpp"

namespace muster::csv {

ParseError::ParseError(std::size_t line, const std::string& what)
    : std::runtime_error("line " + std::to_string(line) + ": " + what), line_(line) {}

Reader::Reader(std::string_view text, char delimiter) : text_(text), delimiter_(delimiter) {
    if (text_.substr(0, 3) == "\xEF\xBB\xBF") pos_ = 3;
}

std::optional<Record> Reader::next() {
    // Skip blank lines between records.
    while (pos_ < text_.size() && (text_[pos_] == '\n' || text_[pos_] == '\r')) {
        if (text_[pos_] == '\n') ++line_;
        ++pos_;
    }
    if (pos_ >= text_.size()) return std::nullopt;

    Record rec;
    rec.line = line_;
    std::string field;
    bool quoted = false;        // inside a quoted field
    bool was_quoted = false;    // this field started with a quote
    std::size_t quote_line = line_;
    while (pos_ < text_.size()) {
        char c = text_[pos_++];
        if (quoted) {
            if (c == '"') {
                if (pos_ < text_.size() && text_[pos_] == '"') {
                    field.push_back('"');
                    ++pos_;
                } else {
                    quoted = false;
                }
            } else {
                if (c == '\n') ++line_;
                field.push_back(c);
            }
            continue;
        }
        if (c == delimiter_) {
            rec.fields.push_back(std::move(field));
            field.clear();
            was_quoted = false;
        } else if (c == '\n' || c == '\r') {
            if (c == '\r' && pos_ < text_.size() && text_[pos_] == '\n') ++pos_;
            ++line_;
            rec.fields.push_back(std::move(field));
            return rec;
        } else if (c == '"' && field.empty() && !was_quoted) {
            quoted = was_quoted = true;
            quote_line = line_;
        } else if (was_quoted) {
            throw ParseError(line_, std::string("unexpected character '") + c + "' after a closing quote");
        } else {
            field.push_back(c);  // a quote inside an unquoted field is kept as it is
        }
    }
    if (quoted) throw ParseError(quote_line, "a quoted field is never closed");
    rec.fields.push_back(std::move(field));
    return rec;
}

char guess_delimiter(std::string_view text) {
    if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
    bool quoted = false, semicolon = false, tab = false;
    for (char c : text) {
        if (c == '"') quoted = !quoted;
        if (quoted) continue;
        if (c == '\n' || c == '\r') break;
        if (c == ',') return ',';
        semicolon = semicolon || c == ';';
        tab = tab || c == '\t';
    }
    return semicolon ? ';' : tab ? '\t' : ',';
}

std::string quote(std::string_view field) {
    bool needs = field.find_first_of(",\"\r\n") != std::string_view::npos ||
                 (!field.empty() && (field.front() == ' ' || field.back() == ' '));
    if (!needs) return std::string(field);
    std::string out = "\"";
    for (char c : field) {
        if (c == '"') out.push_back('"');
        out.push_back(c);
    }
    out.push_back('"');
    return out;
}

std::string quote_for_spreadsheet(std::string_view field) {
    // OWASP's CSV-injection list: = + - @ start a formula, and a leading TAB, CR or LF can
    // hide one from the eye while a spreadsheet still reads it. Leading spaces are skipped
    // first, as some spreadsheets skip them before deciding whether a cell is a formula.
    auto first = field.find_first_not_of(' ');
    if (first != std::string_view::npos && std::string_view("=+-@\t\r\n").find(field[first]) != std::string_view::npos)
        return quote("'" + std::string(field));
    return quote(field);
}

}  // namespace muster::csv

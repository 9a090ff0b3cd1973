#include "muster/csv/csv_writer.hpp"

#include "muster/csv/csv_reader.hpp"

#include <algorithm>
#include <ostream>
#include <stdexcept>

namespace muster::csv {

Writer::Writer(std::ostream& out, std::span<const std::string_view> header, IdentifierStyle ids)
    : out_(out), columns_(header.size()), ids_(ids) {
    if (header.empty()) throw std::logic_error("a CSV needs at least one column");
    out_ << utf8_bom;
    for (auto name : header) text(name);
    end_row();
    rows_ = 0;  // the header is not a data row
}

Writer::Writer(std::ostream& out, std::initializer_list<std::string_view> header, IdentifierStyle ids)
    : Writer(out, std::span<const std::string_view>(header.begin(), header.size()), ids) {}

void Writer::separator() {
    if (cell_ >= columns_) throw std::logic_error("CSV row has more cells than the header's " + std::to_string(columns_));
    if (cell_++ > 0) out_ << ',';
}

Writer& Writer::text(std::string_view value) {
    separator();
    out_ << quote_for_spreadsheet(value);
    return *this;
}

Writer& Writer::number(std::int64_t value) {
    separator();
    out_ << value;
    return *this;
}

Writer& Writer::identifier(std::string_view value) {
    bool digits = !value.empty() && std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (!digits) return text(value);
    separator();
    if (ids_ == IdentifierStyle::plain) out_ << value;
    else out_ << "\"=\"\"" << value << "\"\"\"";  // the cell ="0123456", quotes doubled inside a quoted field
    return *this;
}

Writer& Writer::empty() {
    separator();
    return *this;
}

Writer& Writer::end_row() {
    if (cell_ != columns_)
        throw std::logic_error("CSV row has " + std::to_string(cell_) + " cells, the header " + std::to_string(columns_));
    out_ << "\r\n";
    cell_ = 0;
    ++rows_;
    return *this;
}

}  // namespace muster::csv

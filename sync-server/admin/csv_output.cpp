#include "csv_output.hpp"

#include "muster/util/private_files.hpp"

#include <ostream>

namespace muster::admin {

CsvOutput csv_output_option(const Args& a) {
    auto path = a.get("out");
    if (path && path->empty()) throw UsageError("--out needs a file name");
    return {a.flag("csv") || path.has_value(), path};
}

int put_csv(const CsvOutput& where, const std::string& text, std::size_t rows, const std::string& command, Context& ctx) {
    if (!where.path) {
        ctx.out << text;
        return 0;
    }
    try {
        replace_private_file(*where.path, text);
    } catch (const std::exception& e) {
        ctx.err << command << ": cannot write " << *where.path << " (" << e.what() << "); any earlier file there is unchanged\n";
        return 1;
    }
    ctx.out << "Wrote " << rows << " row(s) to " << *where.path << "\n";
    return 0;
}

}  // namespace muster::admin

#include "csv_output.hpp"

#include "muster/util/private_files.hpp"

#include <ostream>

namespace muster::admin {

CsvDestination csv_destination(const Args& a) {
    CsvDestination to;
    to.out_path = a.get("out");
    if (to.out_path && to.out_path->empty()) throw UsageError("--out needs a file name");
    to.wanted = a.flag("csv") || to.out_path.has_value();
    return to;
}

int write_csv_output(Context& ctx, std::string_view command, const CsvDestination& to, const std::string& text,
                     std::size_t rows) {
    if (!to.out_path) {
        ctx.out << text;
        return 0;
    }
    try {
        replace_private_file(*to.out_path, text);
    } catch (const std::exception& e) {
        ctx.err << command << ": cannot write " << *to.out_path << " (" << e.what()
                << "); any earlier file there is unchanged\n";
        return 1;
    }
    ctx.out << "Wrote " << rows << " row(s) to " << *to.out_path << "\n";
    return 0;
}

}  // namespace muster::admin

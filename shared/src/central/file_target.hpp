#pragma once
// What the two file targets (csv_target.cpp, evidence_csv_target.cpp) share: one file per
// batch in the target's folder, written whole or not at all, and the per-item outcomes
// (docs/central.md, "File targets"). Each target only says which columns a row has.
#include "muster/central/central_record.hpp"
#include "muster/central/delivery_target.hpp"

#include <filesystem>
#include <iosfwd>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace muster::central::detail {

// A claimed entry whose payload parsed.
struct FileRow {
    const store::DeliveryItem* item = nullptr;
    CentralRecord record;
};

class FileTarget : public DeliveryTarget {
public:
    // Throws muster::ConfigError when `config.folder` is missing, not a folder or not writable.
    explicit FileTarget(const TargetConfig& config);

    // Parses every payload (one that does not parse is that item's `rejected`), writes the rest
    // as one file named "<target>-<UTC yyyymmddThhmmss>-<batch id>.csv" (each delivered, the
    // file's name as remote id), or, when the file cannot be written, gives each a `retry`.
    std::vector<DeliveryOutcome> deliver(std::span<const store::DeliveryItem> batch) final;

protected:
    // The whole file's text: header and one row per record (csv::Writer adds the BOM).
    virtual void write_rows(std::ostream& out, std::string_view batch_id, std::span<const FileRow> rows) const = 0;

private:
    std::string name_;
    std::filesystem::path folder_;
};

// Writes `bytes` as folder/name whole: into ".<name>.part" (mode 0600, fsync), renamed to
// `name`, then the folder fsynced so the rename survives a power cut. A process killed
// part-way leaves at most the hidden ".part" file, which importers skip. Throws
// std::runtime_error naming the file (no contents) when it cannot.
void write_whole_file(const std::filesystem::path& folder, const std::string& name, std::string_view bytes);

// "yes"/"no", as every file target writes a flag.
inline std::string_view yes_no(bool b) { return b ? "yes" : "no"; }

}  // namespace muster::central::detail

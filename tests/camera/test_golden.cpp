// Golden pairs: every tests/camera/golden/<name>.png must decode to <name>.txt exactly,
// through the same path as the headless kiosk's --scan-image.
#include "scan_image.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

using namespace muster::kiosk::camera;
namespace fs = std::filesystem;

TEST_CASE("Every golden image decodes to its text", "[camera]") {
    const fs::path dir = fs::path(MUSTER_SOURCE_DIR) / "tests" / "camera" / "golden";
    int pairs = 0;
    for (const auto& entry : fs::directory_iterator(dir)) {
        if (entry.path().extension() != ".png") continue;
        fs::path txt = entry.path();
        txt.replace_extension(".txt");
        INFO(entry.path().filename().string());
        REQUIRE(fs::exists(txt));
        std::ifstream in(txt, std::ios::binary);
        std::stringstream expected;
        expected << in.rdbuf();

        const auto code = scan_image_file(entry.path());
        REQUIRE(code);
        CHECK(code->text == expected.str());
        ++pairs;
    }
    CHECK(pairs >= 6);  // the set make_golden.cpp writes; a lost file fails here
}

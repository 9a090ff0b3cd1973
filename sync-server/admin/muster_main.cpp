// `muster`: the hub's admin tool. See `muster --help` and the README.
#include "command.hpp"

#include <iostream>

int main(int argc, char** argv) {
    std::vector<std::string> args(argv + 1, argv + argc);
    return muster::admin::run_cli(args, std::cout, std::cerr);
}

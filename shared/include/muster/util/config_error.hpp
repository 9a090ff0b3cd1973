#pragma once
// A device or server file (or a setting derived from one) that cannot be used. The message
// names the field, e.g. "server.secret: cannot read devices/entrance-1/device.secret".
#include <stdexcept>

namespace muster {

class ConfigError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

}  // namespace muster

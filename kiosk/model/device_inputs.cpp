#include "device_inputs.hpp"

#include "camera_source.hpp"
#include "v4l2_camera.hpp"
#ifdef MUSTER_HAVE_NFC
#include "nfc_source.hpp"
#endif

#include <cstdio>

namespace muster::kiosk {

std::vector<std::unique_ptr<ScanSource>> device_inputs(const DeviceConfig& config) {
    std::vector<std::unique_ptr<ScanSource>> sources;
    if (config.camera)
        sources.push_back(std::make_unique<camera::CameraSource>(std::make_unique<camera::V4l2Camera>(config.camera_device)));
#ifdef MUSTER_HAVE_NFC
    if (config.nfc) {
        nfc::NfcSource::Options nfc_options;
        nfc_options.connstring = config.nfc_connstring;
        sources.push_back(std::make_unique<nfc::NfcSource>(nfc_options));
    }
#else
    if (config.nfc) std::fprintf(stderr, "muster-kiosk: NFC reader: not available (built without NFC support)\n");
#endif
    return sources;
}

}  // namespace muster::kiosk

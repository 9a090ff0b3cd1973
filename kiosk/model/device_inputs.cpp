#include "device_inputs.hpp"

#include "camera_source.hpp"
#include "v4l2_camera.hpp"
#ifdef MUSTER_HAVE_NFC
#include "nfc_source.hpp"
#endif

namespace muster::kiosk {

std::vector<std::unique_ptr<ScanSource>> device_inputs(const DeviceConfig& config, [[maybe_unused]] log::Logger& log) {
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
    if (config.nfc)
        log.warn("input", {{"input", to_string(InputKind::nfc)}, {"state", to_string(SourceState::unavailable)},
                           {"message", "NFC reader not available (built without NFC support)"}});
#endif
    return sources;
}

}  // namespace muster::kiosk

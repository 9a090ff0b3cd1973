// stb_image's decoders compiled into the fuzz target itself. The kiosk links Debian's
// prebuilt libstb, which carries no coverage or sanitizer instrumentation: fuzzing through it
// would be blind inside the decoders, where the risk is. These definitions (the same
// header, so the same code) take precedence over the shared library's in this executable.
#define STB_IMAGE_IMPLEMENTATION
#include <stb_image.h>

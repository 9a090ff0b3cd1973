# Warnings for Muster's own targets: call muster_warnings(<target>) on each one.
# System headers (Boost, ImGui, ZXing) come in through -isystem and are not affected.
function(muster_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor)
  # GCC 12 at -O3 reports impossible overlaps inside std::string's inlined memcpy
  # (GCC bug 105329, fixed in 13): a false positive that would fail Release builds.
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
    target_compile_options(${target} PRIVATE -Wno-restrict)
  endif()
  if(MUSTER_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()

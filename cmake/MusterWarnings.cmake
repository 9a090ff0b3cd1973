# Warnings for Muster's own targets: call muster_warnings(<target>) on each one.
# System headers (Boost, ImGui, ZXing) come in through -isystem and are not affected.
function(muster_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor)
  if(MUSTER_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()

# The PN532 emulator library, shared by the NFC tests and bench/nfc (which may be built
# without the tests). Included from both; defines the target once.
if(NOT TARGET muster_pn532_emulator)
  set(_muster_nfc_emu ${CMAKE_CURRENT_LIST_DIR})
  add_library(muster_pn532_emulator STATIC
    ${_muster_nfc_emu}/emulated_tag.cpp
    ${_muster_nfc_emu}/pn532_chip.cpp
    ${_muster_nfc_emu}/pn532_emulator.cpp
    ${_muster_nfc_emu}/pn532_frame.cpp
  )
  target_include_directories(muster_pn532_emulator PUBLIC ${_muster_nfc_emu})
  target_link_libraries(muster_pn532_emulator PUBLIC Threads::Threads)
  muster_warnings(muster_pn532_emulator)
endif()

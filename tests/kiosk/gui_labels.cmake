# Included by ctest after the window tests were discovered: gives them both labels.
# (muster_test's LABELS cannot pass a two-item list through catch_discover_tests: the second
# label would be read as a property name.)
foreach(test IN LISTS muster_kiosk_screen_tests_TESTS muster_kiosk_window_tests_TESTS)
  set_tests_properties("${test}" PROPERTIES LABELS "kiosk;gui" TIMEOUT 300)
endforeach()

# Included by ctest after muster_kiosk_fault_tests was discovered: gives its tests both labels.
# (muster_test's LABELS cannot pass a two-item list through catch_discover_tests: the second
# label would be read as a property name.)
foreach(test IN LISTS muster_kiosk_fault_tests_TESTS)
  set_tests_properties("${test}" PROPERTIES LABELS "kiosk;durability" TIMEOUT 300)
endforeach()

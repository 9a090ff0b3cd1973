# Included by ctest after the window tests were discovered: gives them both labels.
# (muster_test's LABELS cannot pass a two-item list through catch_discover_tests: the second
# label would be read as a property name.)
foreach(test IN LISTS muster_kiosk_screen_tests_TESTS muster_kiosk_window_tests_TESTS)
  set_tests_properties("${test}" PROPERTIES LABELS "kiosk;gui" TIMEOUT 300)
endforeach()

# The screen tests draw in this very process with Mesa's software renderer, whose worker
# threads are still running at exit; LeakSanitizer's exit-time tracer then sometimes crashes
# itself ("Tracer caught signal 11", google/sanitizers#1353: seen in 1 run of 6 here, every
# assertion passed). So no leak check at exit in this program: ASan and UBSan stay on, and
# the same view code is leak-checked in the window tests, where muster-kiosk is a child
# process with its own LSan and suppressions (gl_under_test.hpp).
foreach(test IN LISTS muster_kiosk_screen_tests_TESTS)
  set_tests_properties("${test}" PROPERTIES ENVIRONMENT "ASAN_OPTIONS=detect_leaks=0:abort_on_error=1:strict_string_checks=1")
endforeach()

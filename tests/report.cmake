# The HTML report module of the crmkit command (cli/report.c, target
# crmkit_report). Included by tests/CMakeLists.txt.
#  - test_report (tests/test_report.c, a cmocka program like the others) links
#    the module: sections, well-formed SVG, escaping, the call list, failures.
if(NOT TARGET crmkit_report)
  return()
endif()
if(TARGET test_report)
  target_link_libraries(test_report PRIVATE crmkit_report)
endif()

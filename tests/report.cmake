# The HTML report module of the crmkit command (cli/report.c, target
# crmkit_report). Included by tests/CMakeLists.txt.
#  - test_report (tests/test_report.c, a cmocka program like the others) links
#    the module: sections, well-formed SVG, escaping, the call list, failures.
#  - report_demo_chromium renders the demo data's report with
#    tests/report/render_demo.c, checks its SVG with Python's XML parser and
#    has a headless Chromium draw it to build-*/tests/report/demo.png, failing
#    on any console message; skipped (77) only when no Chromium is found.
if(NOT TARGET crmkit_report)
  return()
endif()
if(TARGET test_report)
  target_link_libraries(test_report PRIVATE crmkit_report)
endif()

add_executable(report_render_demo "${CMAKE_CURRENT_SOURCE_DIR}/report/render_demo.c")
target_link_libraries(report_render_demo PRIVATE crmkit_report)
target_compile_options(report_render_demo PRIVATE ${CRM_WARNING_FLAGS})

find_program(CRM_BASH bash)
if(CRM_BASH AND CRM_BUILD_EXAMPLES)
  add_test(NAME report_demo_chromium
    COMMAND "${CRM_BASH}" "${CMAKE_CURRENT_SOURCE_DIR}/report/check_report.sh"
            "$<TARGET_FILE:gen_data>" "$<TARGET_FILE:report_render_demo>" "${CMAKE_CURRENT_BINARY_DIR}/report")
  set_tests_properties(report_demo_chromium PROPERTIES
    LABELS report
    SKIP_RETURN_CODE 77
    TIMEOUT 300)
endif()

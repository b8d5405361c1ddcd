# End-to-end tests of the POS and database examples (examples/pos_nightly.c):
# the scripts in tests/examples/. Included by tests/CMakeLists.txt.
#
# The examples folder is added after tests/, so the programs are named by
# generator expressions, which resolve once every target exists.
find_program(CRM_BASH bash)
if(NOT CRM_BUILD_EXAMPLES OR NOT CRM_BASH)
  return()
endif()
set(_crm_ex "${CMAKE_CURRENT_SOURCE_DIR}/examples")

add_test(NAME example_pos_nightly
  COMMAND "${CRM_BASH}" "${_crm_ex}/check_pos_nightly.sh" "$<TARGET_FILE:pos_nightly>")
set_tests_properties(example_pos_nightly PROPERTIES LABELS examples TIMEOUT 120)

# End-to-end tests of the POS and database examples (examples/pos_nightly.c,
# sqlite_profile.c, pg_profile.c): the scripts in tests/examples/. Included
# by tests/CMakeLists.txt.
#
# The examples folder is added after tests/, so the programs are named by
# generator expressions, which resolve once every target exists. A database
# example is built only when its client library was found; otherwise its path
# is empty and its test reports "skipped" (exit 77). Anything else missing
# (the sqlite3 command, the PostgreSQL server programs) fails the test.
find_program(CRM_BASH bash)
if(NOT CRM_BUILD_EXAMPLES OR NOT CRM_BASH)
  return()
endif()
set(_crm_ex "${CMAKE_CURRENT_SOURCE_DIR}/examples")

add_test(NAME example_pos_nightly
  COMMAND "${CRM_BASH}" "${_crm_ex}/check_pos_nightly.sh" "$<TARGET_FILE:pos_nightly>")
set_tests_properties(example_pos_nightly PROPERTIES LABELS examples TIMEOUT 120)

find_program(CRM_SQLITE3_COMMAND sqlite3 DOC "the sqlite3 command, for the example_sqlite_profile test")
set(_crm_sqlite3 "${CRM_SQLITE3_COMMAND}")
if(NOT _crm_sqlite3)
  set(_crm_sqlite3 sqlite3) # not found: the test fails and says so
endif()
add_test(NAME example_sqlite_profile
  COMMAND "${CRM_BASH}" "${_crm_ex}/check_sqlite_profile.sh"
          "$<$<TARGET_EXISTS:sqlite_profile>:$<TARGET_FILE:sqlite_profile>>" "${_crm_sqlite3}")
set_tests_properties(example_sqlite_profile PROPERTIES LABELS examples TIMEOUT 120 SKIP_RETURN_CODE 77)

# Starts and stops a PostgreSQL server of its own (Unix socket in a temporary folder only).
add_test(NAME example_pg_profile
  COMMAND "${CRM_BASH}" "${_crm_ex}/check_pg_profile.sh"
          "$<$<TARGET_EXISTS:pg_profile>:$<TARGET_FILE:pg_profile>>")
set_tests_properties(example_pg_profile PROPERTIES LABELS examples TIMEOUT 180 SKIP_RETURN_CODE 77)

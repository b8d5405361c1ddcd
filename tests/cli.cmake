# End-to-end tests of the crmkit command (tests/cli/check_cli.sh): output
# values on small inputs, exit codes, --help and --version, real exports and
# the CDNOW sample. Included by tests/CMakeLists.txt when the command is built.
find_program(CRM_BASH bash)
if(TARGET crmkit AND CRM_BASH)
  add_test(NAME cli_end_to_end
    COMMAND "${CRM_BASH}" "${CMAKE_CURRENT_SOURCE_DIR}/cli/check_cli.sh" "$<TARGET_FILE:crmkit>"
            "${CRM_TEST_DATA_DIR}")
  set_tests_properties(cli_end_to_end PROPERTIES LABELS cli TIMEOUT 300)
endif()

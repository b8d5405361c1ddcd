# Format check: clang-format --dry-run --Werror over every tracked .c/.h file.
# Registered only when clang-format is installed. Included by tests/CMakeLists.txt.
find_program(CRM_CLANG_FORMAT NAMES clang-format)
find_program(CRM_BASH bash)
if(CRM_CLANG_FORMAT AND CRM_BASH)
  add_test(NAME format
    COMMAND "${CRM_BASH}" "${CMAKE_CURRENT_SOURCE_DIR}/check_format.sh" "${PROJECT_SOURCE_DIR}")
  set_tests_properties(format PROPERTIES
    LABELS format
    ENVIRONMENT "CLANG_FORMAT=${CRM_CLANG_FORMAT}"
    SKIP_RETURN_CODE 77)
endif()

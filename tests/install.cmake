# Install test: cmake --install this build into a temporary prefix, then build
# and run consumers with pkg-config (shared and --static) and with
# find_package(crmkit CONFIG REQUIRED). Included by tests/CMakeLists.txt.
find_program(CRM_BASH bash)
if(NOT CRM_BASH)
  message(STATUS "crmkit: bash not found, install test not registered")
  return()
endif()

# A sanitizer build's libraries need the sanitizer runtime in the consumer too.
set(_crm_consumer_flags "")
if(CRM_SANITIZE)
  set(_crm_consumer_flags "-fsanitize=address,undefined")
endif()

# Only where this build has install rules (CRM_INSTALL).
if(CRM_INSTALL)
  add_test(NAME install_consumers
    COMMAND "${CRM_BASH}" "${CMAKE_CURRENT_SOURCE_DIR}/install/check_install.sh"
            "${PROJECT_SOURCE_DIR}" "${PROJECT_BINARY_DIR}" "$<CONFIG>")
  # With the command built, the install must hold it and its man page.
  set(_crm_installed_cli 0)
  if(TARGET crmkit)
    set(_crm_installed_cli 1)
  endif()
  set_tests_properties(install_consumers PROPERTIES
    LABELS install
    ENVIRONMENT "CC=${CMAKE_C_COMPILER};CRM_CONSUMER_FLAGS=${_crm_consumer_flags};CRM_INSTALLED_CLI=${_crm_installed_cli}"
    TIMEOUT 300)
endif()

# Smoke test of the example data (gen_data) and the crmkit command on it. The
# examples folder is added after tests/, so the targets are named by
# generator expressions, which resolve once every target exists.
if(CRM_BUILD_EXAMPLES AND TARGET crmkit)
  add_test(NAME examples_smoke
    COMMAND "${CRM_BASH}" "${CMAKE_CURRENT_SOURCE_DIR}/install/check_examples.sh"
            "$<TARGET_FILE:gen_data>" "$<TARGET_FILE:crmkit>")
  set_tests_properties(examples_smoke PROPERTIES LABELS examples TIMEOUT 300)
endif()

# The worked CDNOW example must keep reproducing the paper's figure.
if(CRM_BUILD_EXAMPLES)
  add_test(NAME example_cdnow
    COMMAND "$<TARGET_FILE:value_models>" "${CRM_TEST_DATA_DIR}/cdnow/CDNOW_sample.txt")
  set_tests_properties(example_cdnow PROPERTIES LABELS examples TIMEOUT 300
    PASS_REGULAR_EXPRESSION "E\\[X\\(39\\)\\] = 1\\.2259 .*Gamma-Gamma +p = 6\\.249")
endif()

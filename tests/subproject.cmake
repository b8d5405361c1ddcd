# Subproject test: a project that adds this source tree with add_subdirectory()
# and links crmkit::crmkit and crmkit::crmkit_static (tests/subproject/). Its
# build must not configure or build crmkit's tests, examples or benchmarks,
# nor add install rules. Included by tests/CMakeLists.txt. The consumer builds
# crmkit without sanitizers, so a sanitizer build would only repeat it.
if(NOT CRM_SANITIZE)
  add_test(NAME subproject_consumer
    COMMAND "${CMAKE_COMMAND}"
            "-DSOURCE_DIR=${PROJECT_SOURCE_DIR}"
            "-DWORK_DIR=${PROJECT_BINARY_DIR}/subproject-test"
            "-DGENERATOR=${CMAKE_GENERATOR}"
            "-DC_COMPILER=${CMAKE_C_COMPILER}"
            "-DCONFIG=$<CONFIG>"
            -P "${CMAKE_CURRENT_SOURCE_DIR}/subproject/check_subproject.cmake")
  set_tests_properties(subproject_consumer PROPERTIES LABELS install TIMEOUT 600)
endif()

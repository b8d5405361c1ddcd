# Configure, build and run tests/subproject: a project that adds the crmkit
# source tree with add_subdirectory(). Checks that as a subproject crmkit
#   - defaults CRM_BUILD_TESTS, CRM_BUILD_EXAMPLES, CRM_BUILD_BENCH,
#     CRM_WARNINGS_AS_ERRORS and CRM_INSTALL to OFF;
#   - configures and builds none of its tests, examples or benchmarks;
#   - provides crmkit::crmkit and crmkit::crmkit_static, whose consumers run;
#   - adds no install rules to the parent project.
#
#   cmake -DSOURCE_DIR=<crmkit tree> -DWORK_DIR=<scratch folder, emptied first>
#         [-DGENERATOR=<generator>] [-DC_COMPILER=<cc>] [-DCONFIG=<build type>]
#         -P check_subproject.cmake
foreach(var SOURCE_DIR WORK_DIR)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "check_subproject: -D${var}=... is required")
  endif()
endforeach()
if(NOT CONFIG)
  set(CONFIG Release)
endif()

function(run what)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "check_subproject: ${what} failed (${rc}):\n${out}")
  endif()
  message(STATUS "${what}: ok")
endfunction()

file(REMOVE_RECURSE "${WORK_DIR}")
set(build "${WORK_DIR}/build")
set(prefix "${WORK_DIR}/prefix")

set(configure "${CMAKE_COMMAND}" -S "${SOURCE_DIR}/tests/subproject" -B "${build}"
    "-DCRMKIT_SOURCE_DIR=${SOURCE_DIR}" "-DCMAKE_BUILD_TYPE=${CONFIG}")
if(GENERATOR)
  list(APPEND configure -G "${GENERATOR}")
endif()
if(C_COMPILER)
  list(APPEND configure "-DCMAKE_C_COMPILER=${C_COMPILER}")
endif()
run("configure the consumer project" ${configure})

set(options CRM_BUILD_TESTS CRM_BUILD_EXAMPLES CRM_BUILD_BENCH CRM_BUILD_CLI CRM_WARNINGS_AS_ERRORS CRM_INSTALL)
load_cache("${build}" READ_WITH_PREFIX cache_ ${options})
foreach(option IN LISTS options)
  if(NOT DEFINED cache_${option})
    message(FATAL_ERROR "check_subproject: ${option} is not in the consumer's cache")
  endif()
  if(cache_${option})
    message(FATAL_ERROR "check_subproject: ${option} is '${cache_${option}}' in a subproject, expected OFF")
  endif()
endforeach()
message(STATUS "options default to OFF in a subproject: ok")

run("build the consumer project" "${CMAKE_COMMAND}" --build "${build}" --config "${CONFIG}")

# Nothing of crmkit's tests, examples, benchmarks or command was configured or built.
foreach(folder tests examples bench cli)
  if(EXISTS "${build}/crmkit/${folder}")
    message(FATAL_ERROR "check_subproject: crmkit's ${folder}/ was configured in a subproject")
  endif()
endforeach()
file(GLOB_RECURSE built RELATIVE "${build}" "${build}/*")
set(unwanted ${built})
list(FILTER unwanted INCLUDE REGEX "(^|/)(test_[a-z_]+|crm_test_support|gen_data|crmkit_cli_core|value_models|bench_[a-z_]+)([./]|$)")
if(unwanted)
  list(JOIN unwanted "\n  " unwanted)
  message(FATAL_ERROR "check_subproject: the consumer build holds crmkit test, example or bench files:\n  ${unwanted}")
endif()
message(STATUS "no test, example or benchmark of crmkit built: ok")

foreach(exe consumer_shared consumer_static)
  file(GLOB_RECURSE found "${build}/${exe}" "${build}/*/${exe}" "${build}/${exe}.exe" "${build}/*/${exe}.exe")
  if(NOT found)
    message(FATAL_ERROR "check_subproject: ${exe} was not built")
  endif()
  list(GET found 0 found)
  run("run ${exe}" "${found}")
endforeach()

run("install the consumer project" "${CMAKE_COMMAND}" --install "${build}" --prefix "${prefix}" --config "${CONFIG}")
file(GLOB_RECURSE installed "${prefix}/*")
if(installed)
  list(JOIN installed "\n  " installed)
  message(FATAL_ERROR "check_subproject: crmkit added install rules to its parent:\n  ${installed}")
endif()
message(STATUS "no install rules from crmkit: ok")
message(STATUS "subproject check passed")

# Python binding tests: tests/python/test_*.py (standard-library unittest),
# run against this build's shared library. Included by tests/CMakeLists.txt.
#
# Registered once per interpreter:
#   python_system  Debian's /usr/bin/python3, which has numpy, pandas and
#                  pycparser once tests/run.sh has installed them: the numpy,
#                  pandas and generator tests run there;
#   python_path    the first python3 on PATH (e.g. a bare pyenv interpreter
#                  without numpy): the standard-library-only paths.
# An interpreter that is missing or older than 3.7 is not registered; when
# both names lead to the same interpreter it is registered once. Tests that
# need a module the interpreter lacks are skipped with the reason printed.

set(_crm_py_candidates "")
find_program(CRM_PYTHON_SYSTEM NAMES python3 PATHS /usr/bin NO_DEFAULT_PATH
  DOC "Debian's python3 (numpy, pandas) for the python_system test")
if(CRM_PYTHON_SYSTEM)
  list(APPEND _crm_py_candidates system "${CRM_PYTHON_SYSTEM}")
endif()
# Only $PATH: the interpreter a user gets by typing python3.
find_program(CRM_PYTHON_PATH NAMES python3
  NO_PACKAGE_ROOT_PATH NO_CMAKE_PATH NO_CMAKE_ENVIRONMENT_PATH NO_CMAKE_SYSTEM_PATH
  DOC "first python3 on PATH for the python_path test")
if(CRM_PYTHON_PATH)
  list(APPEND _crm_py_candidates path "${CRM_PYTHON_PATH}")
endif()

# A sanitizer build's library can only be loaded into an interpreter that has
# the sanitizer runtimes preloaded; CPython's own allocations are not leaks to
# report.
set(_crm_py_env "")
if(CRM_SANITIZE)
  set(_crm_preload "")
  foreach(_rt libasan.so libubsan.so)
    execute_process(COMMAND "${CMAKE_C_COMPILER}" -print-file-name=${_rt}
      OUTPUT_VARIABLE _rt_path OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
    if(_rt_path AND IS_ABSOLUTE "${_rt_path}" AND EXISTS "${_rt_path}")
      string(APPEND _crm_preload "${_rt_path} ")
    endif()
  endforeach()
  if(NOT _crm_preload)
    message(STATUS "crmkit: sanitizer runtimes not found, Python tests not registered in this build")
    return()
  endif()
  string(STRIP "${_crm_preload}" _crm_preload)
  list(APPEND _crm_py_env "LD_PRELOAD=${_crm_preload}" "ASAN_OPTIONS=detect_leaks=0")
endif()

set(_crm_py_seen "")
while(_crm_py_candidates)
  list(POP_FRONT _crm_py_candidates _label _exe)
  # Resolve launchers (pyenv shims, symlinks) to the interpreter itself.
  execute_process(
    COMMAND "${_exe}" -c "import sys; print(sys.executable if sys.version_info >= (3, 7) else '')"
    OUTPUT_VARIABLE _real OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET RESULT_VARIABLE _rc)
  if(NOT _rc EQUAL 0 OR NOT _real)
    message(STATUS "crmkit: ${_exe} does not run (or is older than 3.7), python_${_label} not registered")
    continue()
  endif()
  file(REAL_PATH "${_real}" _real)
  if(_real IN_LIST _crm_py_seen)
    message(STATUS "crmkit: python_${_label} is the same interpreter as an earlier one (${_real}), not registered twice")
    continue()
  endif()
  list(APPEND _crm_py_seen "${_real}")
  add_test(NAME python_${_label}
    COMMAND "${_real}" -m unittest discover -s tests/python -v
    WORKING_DIRECTORY "${PROJECT_SOURCE_DIR}")
  set(_env "CRMKIT_LIBRARY=$<TARGET_FILE:crmkit_shared>" "CRMKIT_TEST_DATA_DIR=${CRM_TEST_DATA_DIR}"
    "CC=${CMAKE_C_COMPILER}" "PYTHONDONTWRITEBYTECODE=1" ${_crm_py_env})
  set_tests_properties(python_${_label} PROPERTIES
    LABELS python
    TIMEOUT 600
    ENVIRONMENT "${_env}"
    ENVIRONMENT_MODIFICATION "PYTHONPATH=path_list_prepend:${PROJECT_SOURCE_DIR}/python")
  message(STATUS "crmkit: python_${_label} test uses ${_real}")
endwhile()

# The Dask layer alone (python_dask, for `ctest -R dask`) with Debian's
# python3, the interpreter that has dask and distributed; python_system runs
# it too, among the rest.
if(CRM_PYTHON_SYSTEM AND _crm_py_seen)
  add_test(NAME python_dask
    COMMAND "${CRM_PYTHON_SYSTEM}" -m unittest -v test_dask
    WORKING_DIRECTORY "${CMAKE_CURRENT_SOURCE_DIR}/python")
  set(_env "CRMKIT_LIBRARY=$<TARGET_FILE:crmkit_shared>" "CRMKIT_TEST_DATA_DIR=${CRM_TEST_DATA_DIR}"
    "PYTHONDONTWRITEBYTECODE=1" ${_crm_py_env})
  set_tests_properties(python_dask PROPERTIES
    LABELS python
    TIMEOUT 600
    ENVIRONMENT "${_env}"
    ENVIRONMENT_MODIFICATION "PYTHONPATH=path_list_prepend:${PROJECT_SOURCE_DIR}/python")
endif()

# python/install.sh end to end into a fresh virtual environment (CMake
# Release build of the library in this build folder, wheel, pip install),
# then the installed package used from outside the tree
# (tests/python/check_install.sh), with the first interpreter registered
# above. Not in a sanitizer build: it builds its own library.
find_program(CRM_BASH bash)
if(_crm_py_seen AND CRM_BASH AND NOT CRM_SANITIZE)
  list(GET _crm_py_seen 0 _py)
  add_test(NAME python_install
    COMMAND "${CRM_BASH}" "${CMAKE_CURRENT_SOURCE_DIR}/python/check_install.sh" "${_py}"
            "${PROJECT_BINARY_DIR}/python-install")
  set_tests_properties(python_install PROPERTIES
    LABELS python
    TIMEOUT 900
    ENVIRONMENT "CC=${CMAKE_C_COMPILER};PYTHONDONTWRITEBYTECODE=1")
endif()

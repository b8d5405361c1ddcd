# test_threads (tests/threads/): several threads at once on what crmkit.h
# says may be shared. Only where POSIX threads exist; tests/run.sh also
# builds it under ThreadSanitizer (CRM_TSAN).
if(CRM_THREADS)
  add_executable(test_threads "${CMAKE_CURRENT_SOURCE_DIR}/threads/test_threads.c")
  set_target_properties(test_threads PROPERTIES RUNTIME_OUTPUT_DIRECTORY "${CMAKE_CURRENT_BINARY_DIR}/threads")
  target_link_libraries(test_threads PRIVATE crmkit_static Threads::Threads)
  target_compile_options(test_threads PRIVATE ${CRM_WARNING_FLAGS})
  add_test(NAME test_threads COMMAND test_threads)
  set_tests_properties(test_threads PROPERTIES LABELS c)
endif()

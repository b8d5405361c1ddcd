# tests/test_determinism.c uses only the public API: beside test_determinism
# (static library, registered by tests/CMakeLists.txt) it is built against
# the shared library, and determinism_static_shared checks that both builds
# give the same table, bit for bit (a digest of every column of every row).
find_program(CRM_BASH bash)
if(TARGET crmkit_shared AND TARGET test_determinism)
  add_executable(test_determinism_shared "${CMAKE_CURRENT_SOURCE_DIR}/test_determinism.c")
  target_link_libraries(test_determinism_shared PRIVATE crmkit_shared ${CMOCKA_LIBRARY})
  target_include_directories(test_determinism_shared PRIVATE ${CMOCKA_INCLUDE_DIR} "${CMAKE_CURRENT_SOURCE_DIR}/support")
  target_compile_options(test_determinism_shared PRIVATE ${CRM_WARNING_FLAGS})
  add_test(NAME test_determinism_shared COMMAND test_determinism_shared)
  set_tests_properties(test_determinism_shared PROPERTIES LABELS c)
  if(CRM_BASH)
    add_test(NAME determinism_static_shared
      COMMAND "${CRM_BASH}" -c
        "a=$(\"$0\" --digest) && b=$(\"$1\" --digest) && echo \"static: $a\" && echo \"shared: $b\" && [ \"$a\" = \"$b\" ]"
        "$<TARGET_FILE:test_determinism>" "$<TARGET_FILE:test_determinism_shared>")
    set_tests_properties(determinism_static_shared PROPERTIES LABELS c)
  endif()
endif()

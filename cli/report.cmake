# The HTML report module of the crmkit command (cli/report.c), a static
# library of its own: the command links it, and so does its test
# (tests/test_report.c, tests/report.cmake). It reads only the public header
# and links the static library; it needs libm for its charts.
add_library(crmkit_report STATIC "${CMAKE_CURRENT_LIST_DIR}/report.c")
target_include_directories(crmkit_report PUBLIC "${CMAKE_CURRENT_LIST_DIR}")
target_link_libraries(crmkit_report PUBLIC crmkit_static)
target_compile_options(crmkit_report PRIVATE ${CRM_WARNING_FLAGS})
if(CRM_LIBM)
  target_link_libraries(crmkit_report PRIVATE m)
endif()
# Added to another project with add_subdirectory(), it is built only when asked for.
if(NOT PROJECT_IS_TOP_LEVEL)
  set_target_properties(crmkit_report PROPERTIES EXCLUDE_FROM_ALL ON)
endif()

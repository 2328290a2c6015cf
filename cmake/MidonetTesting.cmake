# midonet_add_test(<name> SOURCES <files...> [LIBS <targets...>] LABEL <unit|integration|e2e|kernel|interop|gui>
#                  [TIMEOUT <seconds>] [ENVIRONMENT <VAR=value...>])
#
# Every test executable is a QtTest program (DESIGN.md): it links Qt6::Test, runs offscreen, and
# is registered with CTest under its label so run-tests.sh can pick suites by label.
function(midonet_add_test name)
  cmake_parse_arguments(T "" "LABEL;TIMEOUT" "SOURCES;LIBS;ENVIRONMENT" ${ARGN})
  if(NOT T_LABEL)
    message(FATAL_ERROR "midonet_add_test(${name}): LABEL is required")
  endif()
  if(NOT T_TIMEOUT)
    set(T_TIMEOUT 300)
  endif()
  add_executable(${name} ${T_SOURCES})
  target_link_libraries(${name} PRIVATE Qt6::Test ${T_LIBS})
  set_target_properties(${name} PROPERTIES AUTOMOC ON AUTOMOC_EXECUTABLE ${CMAKE_AUTOMOC_EXECUTABLE})
  add_test(NAME ${name} COMMAND ${name})
  set_tests_properties(${name} PROPERTIES LABELS "${T_LABEL}" TIMEOUT ${T_TIMEOUT}
    ENVIRONMENT "QT_QPA_PLATFORM=offscreen;MIDONET_BUILD_DIR=${PROJECT_BINARY_DIR};MIDONET_SOURCE_DIR=${PROJECT_SOURCE_DIR};${T_ENVIRONMENT}")
endfunction()

# midonet_add_test_areas(): in a tests/<label>/ folder, adds every sub-folder that has a
# CMakeLists.txt (one area's tests each), in name order, so owners add folders, not lines. A macro,
# so the areas are added from the label folder's own scope, as if written there.
macro(midonet_add_test_areas)
  file(GLOB _areas LIST_DIRECTORIES true RELATIVE ${CMAKE_CURRENT_SOURCE_DIR} ${CMAKE_CURRENT_SOURCE_DIR}/*)
  list(SORT _areas)
  foreach(_area IN LISTS _areas)
    if(EXISTS ${CMAKE_CURRENT_SOURCE_DIR}/${_area}/CMakeLists.txt)
      add_subdirectory(${_area})
    endif()
  endforeach()
endmacro()

# sg_library(NAME SRCS ... DEPS ...)
# One library target per module (ARCHITECTURE.md). DEPS lists everything the
# module links against, ours and third-party, so the dependency order of the
# modules is visible in one place per module.
function(sg_library name)
  cmake_parse_arguments(ARG "" "" "SRCS;DEPS" ${ARGN})
  add_library(sg_${name} STATIC ${ARG_SRCS})
  add_library(sg::${name} ALIAS sg_${name})
  target_include_directories(sg_${name} PUBLIC ${PROJECT_SOURCE_DIR}/src)
  target_link_libraries(sg_${name} PUBLIC ${ARG_DEPS})
endfunction()

# Regenerate boltzflow/Version.hpp with the git hash on every build (ArborX style).
set(BOLTZFLOW_VERSION_HEADER ${CMAKE_CURRENT_BINARY_DIR}/generated/boltzflow/Version.hpp)
add_custom_target(boltzflow_version ALL
  COMMAND ${CMAKE_COMMAND}
          -DSOURCE_DIR=${CMAKE_CURRENT_SOURCE_DIR}
          -DOUTPUT=${BOLTZFLOW_VERSION_HEADER}
          -DVERSION=${PROJECT_VERSION}
          -P ${CMAKE_CURRENT_SOURCE_DIR}/cmake/WriteVersion.cmake
  BYPRODUCTS ${BOLTZFLOW_VERSION_HEADER}
  COMMENT "boltzflow version header")

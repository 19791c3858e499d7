# Find Kokkos (Debian's 3.4.01 Serial or any 4.x) and Kokkos Kernels, and define
# boltzflow::kokkos_kernels. Used at build time and by the installed package config.
# No version in find_package: Kokkos 3.x writes a SameMajorVersion version file, so
# find_package(Kokkos 3.4) would reject every 4.x (and a 3.4...<5 range is rejected by 3.4's).
find_package(Kokkos REQUIRED)
if(Kokkos_VERSION VERSION_LESS 3.4)
  message(FATAL_ERROR "boltzflow needs Kokkos >= 3.4; found ${Kokkos_VERSION} in ${Kokkos_DIR}")
endif()
# Debian: Kokkos::kokkos points at the non-existent <prefix>/lib/include; the
# variable Kokkos_INCLUDE_DIRS is right, so patch the target when needed.
get_target_property(_bf_kk_inc Kokkos::kokkos INTERFACE_INCLUDE_DIRECTORIES)
if(Kokkos_INCLUDE_DIRS AND _bf_kk_inc AND NOT EXISTS "${_bf_kk_inc}")
  get_filename_component(_bf_kk_real "${Kokkos_INCLUDE_DIRS}" REALPATH)
  set_property(TARGET Kokkos::kokkos PROPERTY INTERFACE_INCLUDE_DIRECTORIES "${_bf_kk_real}")
endif()
string(REPLACE ";" "," BOLTZFLOW_KOKKOS_DEVICES "${Kokkos_DEVICES}")
if(NOT Kokkos_DEVICES)
  set(Kokkos_DEVICES "SERIAL")
  set(BOLTZFLOW_KOKKOS_DEVICES "SERIAL")
endif()

find_package(KokkosKernels REQUIRED)
if(NOT TARGET boltzflow::kokkos_kernels)
  add_library(boltzflow::kokkos_kernels INTERFACE IMPORTED)
  if(TARGET Kokkos::kokkoskernels)                 # standalone Kokkos Kernels install
    set_property(TARGET boltzflow::kokkos_kernels PROPERTY INTERFACE_LINK_LIBRARIES Kokkos::kokkoskernels)
    set(BOLTZFLOW_KK_TARGET "Kokkos::kokkoskernels")
  elseif(TARGET KokkosKernels::all_libs)           # Debian's Trilinos >= 14 (Kokkos Kernels 4)
    set_property(TARGET boltzflow::kokkos_kernels PROPERTY INTERFACE_LINK_LIBRARIES KokkosKernels::all_libs)
    set(BOLTZFLOW_KK_TARGET "KokkosKernels::all_libs")
  elseif(TARGET trilinos_kokkoskernels)            # Debian's Trilinos 13.2 subpackage
    set_property(TARGET boltzflow::kokkos_kernels PROPERTY INTERFACE_LINK_LIBRARIES trilinos_kokkoskernels)
    set_property(TARGET boltzflow::kokkos_kernels PROPERTY INTERFACE_INCLUDE_DIRECTORIES "${KokkosKernels_INCLUDE_DIRS}")
    set(BOLTZFLOW_KK_TARGET "trilinos_kokkoskernels")
  else()
    message(FATAL_ERROR "Kokkos Kernels found in ${KokkosKernels_DIR} but exports no known target")
  endif()
endif()
set(BOLTZFLOW_BLAS_INFO "${KokkosKernels_TPL_LIST}")
if(TARGET Kokkos::BLAS)  # standalone Kokkos Kernels: the BLAS TPL is an imported target
  get_target_property(_bf_blas Kokkos::BLAS INTERFACE_LINK_LIBRARIES)
  set(BOLTZFLOW_BLAS_INFO "TPL BLAS: ${_bf_blas}")
elseif(NOT BOLTZFLOW_BLAS_INFO AND KokkosKernels_ENABLE_BLAS)  # Trilinos >= 14 sets no TPL list
  set(BOLTZFLOW_BLAS_INFO "TPL BLAS")
elseif(NOT BOLTZFLOW_BLAS_INFO)
  set(BOLTZFLOW_BLAS_INFO "none (Kokkos Kernels' native kernels)")
endif()

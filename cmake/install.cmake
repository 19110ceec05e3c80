# cmake --install: headers, both libraries, a CMake package (find_package(ntsem)
# -> ntsem::ntsem) and a pkg-config file (ntsem.pc).
include(CMakePackageConfigHelpers)

install(DIRECTORY include/ntsem DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(TARGETS ntsem ntsem_static EXPORT ntsemTargets
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(EXPORT ntsemTargets NAMESPACE ntsem:: DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/ntsem)

configure_package_config_file(cmake/ntsemConfig.cmake.in
  ${CMAKE_CURRENT_BINARY_DIR}/ntsemConfig.cmake
  INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/ntsem)
write_basic_package_version_file(${CMAKE_CURRENT_BINARY_DIR}/ntsemConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/ntsemConfig.cmake
  ${CMAKE_CURRENT_BINARY_DIR}/ntsemConfigVersion.cmake
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/ntsem)

# The .pc file finds its prefix from its own place (${pcfiledir}), so the
# installed tree can be moved or installed with --prefix.
file(RELATIVE_PATH _ntsem_pc_to_prefix "/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/")
string(REGEX REPLACE "/$" "" _ntsem_pc_to_prefix "${_ntsem_pc_to_prefix}")
set(NTSEM_PC_PREFIX "\${pcfiledir}/${_ntsem_pc_to_prefix}")
configure_file(cmake/ntsem.pc.in ${CMAKE_CURRENT_BINARY_DIR}/ntsem.pc @ONLY)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/ntsem.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)

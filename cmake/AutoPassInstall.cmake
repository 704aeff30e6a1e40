# cmake --install: where AutoPass's pieces go, and the CMake package that lets
# another project find them with find_package(AutoPass).
#
#   bin/autopass-tuner, bin/autopass-cc, bin/autopass-c++ (symlink)
#   lib/autopass/libAutoPassPlugin.so      (AUTOPASS_INSTALL_PLUGIN in the tuner)
#   share/autopass/knobs-llvmN.json        (AUTOPASS_INSTALL_DATADIR; N: the LLVM built against)
#   share/autopass/autopass-measure.c      (the ssh runner's measuring helper, built per target)
#   share/autopass/prompts/*.txt           (the agents' prompt templates)
#   share/doc/autopass/*.md                (the user guide)
#   lib/cmake/AutoPass/                    AutoPassConfig.cmake, version, targets
#
# The binaries find the plugin and the data relative to themselves first
# (cc/Installation.hpp), so an installed tree can be moved as a whole.

include(CMakePackageConfigHelpers)

set(AUTOPASS_INSTALL_CMAKEDIR ${CMAKE_INSTALL_LIBDIR}/cmake/AutoPass)
set(AUTOPASS_INSTALL_PLUGINDIR ${CMAKE_INSTALL_LIBDIR}/autopass)
set(AUTOPASS_INSTALL_DATADIR_REL ${CMAKE_INSTALL_DATADIR}/autopass)

set_target_properties(AutoPassPlugin PROPERTIES EXPORT_NAME Plugin)
install(TARGETS AutoPassPlugin EXPORT AutoPassTargets
        LIBRARY DESTINATION ${AUTOPASS_INSTALL_PLUGINDIR})

# The tools link LLVM's shared library; keep its directory in their RUNPATH
# (Debian's libLLVM lives outside the default search path).
set_target_properties(autopass-tuner autopass-cc PROPERTIES INSTALL_RPATH_USE_LINK_PATH TRUE)
install(TARGETS autopass-tuner autopass-cc EXPORT AutoPassTargets
        RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
# The prefix is read when installing (cmake --install --prefix may differ
# from the configured one).
install(CODE "set(_autopass_cxx \"\$ENV{DESTDIR}\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_BINDIR}/autopass-c++\")
              message(STATUS \"Installing: \${_autopass_cxx}\")
              execute_process(COMMAND \"${CMAKE_COMMAND}\" -E create_symlink autopass-cc \"\${_autopass_cxx}\")")

install(FILES ${PROJECT_SOURCE_DIR}/tuner/data/knobs-llvm${LLVM_VERSION_MAJOR}.json
              ${PROJECT_SOURCE_DIR}/tuner/data/autopass-measure.c
        DESTINATION ${AUTOPASS_INSTALL_DATADIR_REL})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/prompts/
        DESTINATION ${AUTOPASS_INSTALL_DATADIR_REL}/prompts
        FILES_MATCHING PATTERN "*.txt" PATTERN "*.md")
install(DIRECTORY ${PROJECT_SOURCE_DIR}/docs/
        DESTINATION ${CMAKE_INSTALL_DOCDIR}
        FILES_MATCHING PATTERN "*.md")

install(EXPORT AutoPassTargets NAMESPACE AutoPass::
        FILE AutoPassTargets.cmake DESTINATION ${AUTOPASS_INSTALL_CMAKEDIR})
configure_package_config_file(
  ${CMAKE_CURRENT_LIST_DIR}/AutoPassConfig.cmake.in
  ${CMAKE_CURRENT_BINARY_DIR}/AutoPassConfig.cmake
  INSTALL_DESTINATION ${AUTOPASS_INSTALL_CMAKEDIR}
  PATH_VARS AUTOPASS_INSTALL_DATADIR_REL AUTOPASS_INSTALL_PLUGINDIR)
# 0.x: minor versions may change the configuration format.
write_basic_package_version_file(
  ${CMAKE_CURRENT_BINARY_DIR}/AutoPassConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/AutoPassConfig.cmake
              ${CMAKE_CURRENT_BINARY_DIR}/AutoPassConfigVersion.cmake
        DESTINATION ${AUTOPASS_INSTALL_CMAKEDIR})

# ctest tests of autopass-cc and of the installed tree, included from
# tuner/CMakeLists.txt. Both drive real CMake builds of small projects under
# tests/data/cc/ with LLVM's clang (see the scripts for what they check).
add_test(NAME cc-launcher
  COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/tests/cc/launcher-test.sh
          $<TARGET_FILE:autopass-cc> ${AUTOPASS_LLVM_BINDIR}
          ${CMAKE_CURRENT_SOURCE_DIR}/tests/data/cc ${CMAKE_CURRENT_BINARY_DIR}/cc-launcher-test)
add_test(NAME cc-install
  COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/tests/cc/install-test.sh
          ${PROJECT_BINARY_DIR} ${AUTOPASS_LLVM_BINDIR}
          ${CMAKE_CURRENT_SOURCE_DIR}/tests/data/cc ${CMAKE_CURRENT_BINARY_DIR}/cc-install-test)
set_tests_properties(cc-launcher cc-install PROPERTIES TIMEOUT 300)

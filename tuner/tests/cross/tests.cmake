# ctest test of the AArch64 cross target and the qemu runner, included from
# tuner/CMakeLists.txt (the script says what it checks; it needs the packages
# of scripts/setup.sh --cross aarch64 and fails without them).
add_test(NAME cross-aarch64
  COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/tests/cross/aarch64-test.sh
          $<TARGET_FILE:autopass-tuner> ${PROJECT_SOURCE_DIR}/bench
          ${CMAKE_CURRENT_BINARY_DIR}/cross-aarch64-test ${AUTOPASS_LLVM_BINDIR})
set_tests_properties(cross-aarch64 PROPERTIES TIMEOUT 300)

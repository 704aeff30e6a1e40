# ctest test of the ssh runner, included from tuner/CMakeLists.txt: two
# throwaway OpenSSH servers on 127.0.0.1 (sshd-local.sh), identity through the
# runner, a tune, a host lost mid-measurement, --resume after the only host
# came back, and the refusals (ssh-test.sh says what each step checks). It
# needs /usr/sbin/sshd (scripts/setup.sh --ssh, which scripts/test.sh runs)
# and fails without it, it never skips.
add_test(NAME ssh-runner
  COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/tests/remote/ssh-test.sh
          $<TARGET_FILE:autopass-tuner> ${PROJECT_SOURCE_DIR}/bench
          ${CMAKE_CURRENT_BINARY_DIR}/ssh-runner-test)
set_tests_properties(ssh-runner PROPERTIES TIMEOUT 600)

# slurm-runner: the Slurm runner on a Slurm of two nodes started here by
# scripts/slurm-local.sh: a tune on two nodes at once, a suite, a node going
# down mid-measurement, the coordinator SIGKILLed with its jobs and resumed,
# the refusals (slurm-test.sh says what each step checks). Skipped (77)
# without root or Debian's slurm-wlm and munge.
add_test(NAME slurm-runner
  COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/tests/remote/slurm-test.sh
          $<TARGET_FILE:autopass-tuner> ${PROJECT_SOURCE_DIR}/bench
          ${PROJECT_SOURCE_DIR}/scripts/slurm-local.sh
          ${CMAKE_CURRENT_BINARY_DIR}/slurm-runner-test)
set_tests_properties(slurm-runner PROPERTIES TIMEOUT 600 SKIP_RETURN_CODE 77)

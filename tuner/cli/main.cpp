// autopass-tuner: placeholder entry point until the harness lands.
#include <cstdio>
int main() {
  std::puts("autopass-tuner " AUTOPASS_VERSION);
  return 0;
}

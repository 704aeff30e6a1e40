//===- util/ThreadPool.cpp - Parallel builds ------------------------------===//
#include "util/ThreadPool.hpp"

#include <atomic>
#include <thread>
#include <vector>

namespace autopass {

void parallelFor(size_t Count, unsigned Jobs, const std::function<void(size_t)> &Body) {
  if (Jobs <= 1 || Count <= 1) {
    for (size_t I = 0; I < Count; ++I)
      Body(I);
    return;
  }
  std::atomic<size_t> Next{0};
  auto Worker = [&] {
    for (size_t I = Next++; I < Count; I = Next++)
      Body(I);
  };
  std::vector<std::thread> Threads;
  size_t N = Jobs < Count ? Jobs : Count;
  for (size_t T = 1; T < N; ++T)
    Threads.emplace_back(Worker);
  Worker();
  for (auto &T : Threads)
    T.join();
}

} // namespace autopass

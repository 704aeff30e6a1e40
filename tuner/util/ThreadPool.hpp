//===- util/ThreadPool.hpp - Parallel builds ------------------*- C++ -*-===//
//
// Builds of different candidates are independent and run in parallel
// (--jobs); measurements do only on separate machines (runner slurm's
// nodes, one lane each: measure/Evaluator.cpp). parallelFor is all the
// tuner needs.
//
//===----------------------------------------------------------------------===//
#pragma once

#include <cstddef>
#include <functional>

namespace autopass {

/// Calls Body(I) for I in [0, Count) on up to Jobs threads; returns when all
/// calls have returned. Body must not throw.
void parallelFor(size_t Count, unsigned Jobs, const std::function<void(size_t)> &Body);

} // namespace autopass

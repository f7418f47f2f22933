// Assigns arena offsets to buffers whose lifetimes are known.
//
// Greedy by size: buffers are placed largest first, each at the lowest
// offset where it overlaps (in bytes) no already placed buffer whose lifetime
// [first_use, last_use] intersects its own. This is the strategy of TFLite
// Micro's GreedyMemoryPlanner; it is not optimal but close on CNN graphs and
// runs in O(n^2) for n buffers.
#pragma once

#include <cstddef>
#include <vector>

namespace pyrt {

struct BufferRequest {
  size_t size;
  int first_use;  // op index of the first write (or -1 for graph inputs)
  int last_use;   // op index of the last read (inclusive)
};

struct ArenaPlan {
  std::vector<size_t> offsets;  // one per request, each a multiple of alignment
  size_t total_bytes = 0;
};

ArenaPlan PlanArena(const std::vector<BufferRequest>& requests, size_t alignment);

}  // namespace pyrt

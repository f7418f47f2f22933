#include "interpreter/arena_planner.h"

#include <algorithm>
#include <numeric>

namespace pyrt {
namespace {

size_t RoundUp(size_t n, size_t alignment) { return (n + alignment - 1) / alignment * alignment; }

bool LifetimesOverlap(const BufferRequest& a, const BufferRequest& b) {
  return a.first_use <= b.last_use && b.first_use <= a.last_use;
}

}  // namespace

ArenaPlan PlanArena(const std::vector<BufferRequest>& requests, size_t alignment) {
  const size_t n = requests.size();
  std::vector<size_t> order(n);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return requests[a].size > requests[b].size; });

  ArenaPlan plan;
  plan.offsets.assign(n, 0);
  std::vector<size_t> placed;  // indices of requests already given an offset
  std::vector<std::pair<size_t, size_t>> busy;  // [begin, end) byte ranges in use
  for (size_t i : order) {
    const size_t size = RoundUp(std::max<size_t>(requests[i].size, 1), alignment);
    busy.clear();
    for (size_t j : placed)
      if (LifetimesOverlap(requests[i], requests[j]))
        busy.emplace_back(plan.offsets[j],
                          plan.offsets[j] + RoundUp(std::max<size_t>(requests[j].size, 1), alignment));
    std::sort(busy.begin(), busy.end());
    size_t offset = 0;
    for (const auto& [begin, end] : busy) {
      if (offset + size <= begin) break;  // fits in the gap before this range
      offset = std::max(offset, end);
    }
    plan.offsets[i] = offset;
    plan.total_bytes = std::max(plan.total_bytes, offset + size);
    placed.push_back(i);
  }
  return plan;
}

}  // namespace pyrt

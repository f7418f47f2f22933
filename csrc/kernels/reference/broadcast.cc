#include "kernels/reference/broadcast.h"

#include <algorithm>

namespace pyrt {

bool BroadcastShape(const std::vector<int32_t>& a, const std::vector<int32_t>& b,
                    std::vector<int32_t>* out) {
  const size_t rank = std::max(a.size(), b.size());
  out->assign(rank, 1);
  for (size_t i = 0; i < rank; ++i) {
    // Right-aligned: dim i of the output pairs with the tails of a and b.
    const int32_t da = i + a.size() >= rank ? a[i + a.size() - rank] : 1;
    const int32_t db = i + b.size() >= rank ? b[i + b.size() - rank] : 1;
    if (da != db && da != 1 && db != 1) return false;
    (*out)[i] = da == 1 ? db : da;
  }
  return true;
}

BroadcastPlan MakeBroadcastPlan(const std::vector<int32_t>& a, const std::vector<int32_t>& b) {
  const size_t rank = std::max(a.size(), b.size());
  // Collapsed dims, outermost first, with whether each operand spans them.
  int64_t dims[kMaxBroadcastRank];
  bool has_a[kMaxBroadcastRank], has_b[kMaxBroadcastRank];
  int n = 0;
  BroadcastPlan p;
  p.total = 1;
  for (size_t i = 0; i < rank; ++i) {
    const int32_t da = i + a.size() >= rank ? a[i + a.size() - rank] : 1;
    const int32_t db = i + b.size() >= rank ? b[i + b.size() - rank] : 1;
    const int32_t d = da == 1 ? db : da;
    p.total *= d;
    if (d == 1) continue;
    const bool ia = da != 1, ib = db != 1;
    if (n > 0 && has_a[n - 1] == ia && has_b[n - 1] == ib) {
      dims[n - 1] *= d;
    } else {
      dims[n] = d;
      has_a[n] = ia;
      has_b[n] = ib;
      ++n;
    }
  }
  if (n == 0) return p;  // a single element: the defaults
  p.rank = n;
  int64_t sa = 1, sb = 1;
  for (int i = n - 1; i >= 0; --i) {
    p.dims[i] = dims[i];
    p.stride_a[i] = has_a[i] ? sa : 0;
    p.stride_b[i] = has_b[i] ? sb : 0;
    if (has_a[i]) sa *= dims[i];
    if (has_b[i]) sb *= dims[i];
  }
  return p;
}

}  // namespace pyrt

// Iteration plan for numpy-broadcasting binary ops (rank <= 6, as TFLite's
// 6-D broadcast kernels). Shapes are padded to the output rank, size-1 output
// dims are dropped and neighbouring dims that broadcast the same way are
// merged, so same-shape operands become one flat row and [1,1,1,C] against
// [N,H,W,C] becomes rows of C. The walk uses only additions (no per-element
// division or modulo).
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

namespace pyrt {

constexpr int kMaxBroadcastRank = 6;

struct BroadcastPlan {
  int64_t total = 0;  // output elements
  int rank = 1;       // collapsed rank, 1..6
  int64_t dims[kMaxBroadcastRank] = {1};
  // Element strides of each operand per collapsed dim; 0 where it broadcasts.
  // The innermost stride is therefore 0 or 1.
  int64_t stride_a[kMaxBroadcastRank] = {1};
  int64_t stride_b[kMaxBroadcastRank] = {1};
};

// numpy broadcast shape of a and b; false when they are incompatible.
bool BroadcastShape(const std::vector<int32_t>& a, const std::vector<int32_t>& b,
                    std::vector<int32_t>* out);

// Plan for shapes a and b whose broadcast shape has rank <= kMaxBroadcastRank
// (the caller validates both).
BroadcastPlan MakeBroadcastPlan(const std::vector<int32_t>& a, const std::vector<int32_t>& b);

// Calls row(offset_a, offset_b, offset_out, n) for each innermost row of n
// output elements that intersects output elements [begin, end), cut to that
// range; within a row the operands advance by plan.stride_a[rank-1] /
// plan.stride_b[rank-1] (0 or 1). Splitting [0, total) into ranges lets
// threads share one plan.
template <typename Row>
void ForEachBroadcastRow(const BroadcastPlan& p, int64_t begin, int64_t end, Row&& row) {
  if (begin >= end) return;
  const int outer = p.rank - 1;
  const int64_t n = p.dims[outer];
  // Position of the row holding `begin` (divisions only here, once per range).
  int64_t index[kMaxBroadcastRank] = {0};
  int64_t off_a = 0, off_b = 0;
  for (int64_t d = outer - 1, r = begin / n; d >= 0; --d) {
    index[d] = r % p.dims[d];
    r /= p.dims[d];
    off_a += index[d] * p.stride_a[d];
    off_b += index[d] * p.stride_b[d];
  }
  int64_t col = begin % n;
  for (int64_t off_out = begin - col; off_out < end; off_out += n) {
    const int64_t len = std::min(n, end - off_out) - col;
    row(off_a + col * p.stride_a[outer], off_b + col * p.stride_b[outer], off_out + col, len);
    col = 0;
    // Odometer step over the outer dims, innermost of them first.
    for (int d = outer - 1; d >= 0; --d) {
      off_a += p.stride_a[d];
      off_b += p.stride_b[d];
      if (++index[d] < p.dims[d]) break;
      off_a -= p.stride_a[d] * p.dims[d];
      off_b -= p.stride_b[d] * p.dims[d];
      index[d] = 0;
    }
  }
}

}  // namespace pyrt

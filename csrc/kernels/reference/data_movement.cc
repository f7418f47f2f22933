#include "kernels/reference/data_movement.h"

#include <algorithm>
#include <cstring>

namespace pyrt {

bool AddCopyAxis(CopyPlan* plan, int64_t count, int64_t src_stride, int64_t dst_stride) {
  if (plan->rank == kMaxCopyDims) return false;
  plan->count[plan->rank] = count;
  plan->src_stride[plan->rank] = src_stride;
  plan->dst_stride[plan->rank] = dst_stride;
  ++plan->rank;
  return true;
}

CopyPlan SimplifyCopyPlan(const CopyPlan& plan) {
  CopyPlan out;
  out.run_bytes = plan.run_bytes;
  // Walk inner to outer, building the simplified axes in reverse.
  int64_t count[kMaxCopyDims], src[kMaxCopyDims], dst[kMaxCopyDims];
  int n = 0;
  for (int k = plan.rank - 1; k >= 0; --k) {
    const int64_t c = plan.count[k];
    if (c == 0) {  // nothing to copy at all
      out.rank = 1;
      out.count[0] = 0;
      return out;
    }
    if (c == 1) continue;
    if (n == 0 && plan.src_stride[k] == out.run_bytes && plan.dst_stride[k] == out.run_bytes) {
      out.run_bytes *= c;  // contiguous innermost axis: one longer memcpy
      continue;
    }
    if (n > 0 && plan.src_stride[k] == src[n - 1] * count[n - 1] &&
        plan.dst_stride[k] == dst[n - 1] * count[n - 1]) {
      count[n - 1] *= c;  // this axis continues the inner one in both buffers
      continue;
    }
    count[n] = c;
    src[n] = plan.src_stride[k];
    dst[n] = plan.dst_stride[k];
    ++n;
  }
  out.rank = n;
  for (int i = 0; i < n; ++i) {
    out.count[i] = count[n - 1 - i];
    out.src_stride[i] = src[n - 1 - i];
    out.dst_stride[i] = dst[n - 1 - i];
  }
  return out;
}

int64_t CopyPlanBytes(const CopyPlan& plan) {
  int64_t n = plan.run_bytes;
  for (int k = 0; k < plan.rank; ++k) n *= plan.count[k];
  return n;
}

namespace {

// Calls fn(src_offset, dst_offset) for every index of the first `rank` axes
// of the plan; the last of them moves fastest. Offsets rather than pointers:
// intermediate positions may lie outside the buffers.
template <typename Fn>
void ForEachOffset(const CopyPlan& plan, int rank, Fn fn) {
  int64_t idx[kMaxCopyDims] = {};
  int64_t s = 0, d = 0;
  while (true) {
    fn(s, d);
    int k = rank - 1;
    for (; k >= 0; --k) {
      s += plan.src_stride[k];
      d += plan.dst_stride[k];
      if (++idx[k] < plan.count[k]) break;
      s -= plan.src_stride[k] * plan.count[k];
      d -= plan.dst_stride[k] * plan.count[k];
      idx[k] = 0;
    }
    if (k < 0) return;
  }
}

// Plans whose runs are single small elements (TRANSPOSE, broadcasts): the
// innermost axis becomes a loop of fixed-size copies instead of memcpy calls.
// A short innermost axis under a long one (an NCHW to NHWC transpose of 3
// channels: 3 bytes per pixel) is looped the other way round, over blocks
// of the long axis that stay in L1 for the short axis' passes (2x faster
// on a 224x224 image).
template <size_t kSize>
void CopyElementRows(const CopyPlan& plan, const uint8_t* src, uint8_t* dst) {
  constexpr int64_t kShort = 16, kBlock = 2048;
  const int last = plan.rank - 1;
  const int64_t n = plan.count[last], ss = plan.src_stride[last], ds = plan.dst_stride[last];
  if (last >= 1 && n < kShort && plan.count[last - 1] >= 4 * kShort) {
    const int64_t m = plan.count[last - 1], ms = plan.src_stride[last - 1];
    const int64_t md = plan.dst_stride[last - 1];
    ForEachOffset(plan, last - 1, [&](int64_t s, int64_t d) {
      for (int64_t i0 = 0; i0 < m; i0 += kBlock) {
        const int64_t len = std::min(kBlock, m - i0);
        for (int64_t j = 0; j < n; ++j) {
          const uint8_t* from = src + s + i0 * ms + j * ss;
          uint8_t* to = dst + d + i0 * md + j * ds;
          for (int64_t i = 0; i < len; ++i) std::memcpy(to + i * md, from + i * ms, kSize);
        }
      }
    });
    return;
  }
  ForEachOffset(plan, last, [&](int64_t s, int64_t d) {
    const uint8_t* from = src + s;
    uint8_t* to = dst + d;
    for (int64_t i = 0; i < n; ++i) std::memcpy(to + i * ds, from + i * ss, kSize);
  });
}

}  // namespace

void BlockCopy(const CopyPlan& plan, const uint8_t* src, uint8_t* dst) {
  for (int k = 0; k < plan.rank; ++k)
    if (plan.count[k] == 0) return;
  if (plan.run_bytes == 0) return;
  if (plan.rank > 0) {
    switch (plan.run_bytes) {
      case 1: return CopyElementRows<1>(plan, src, dst);
      case 2: return CopyElementRows<2>(plan, src, dst);
      case 4: return CopyElementRows<4>(plan, src, dst);
      case 8: return CopyElementRows<8>(plan, src, dst);
      default: break;
    }
  }
  const size_t run = static_cast<size_t>(plan.run_bytes);
  ForEachOffset(plan, plan.rank, [&](int64_t s, int64_t d) { std::memcpy(dst + d, src + s, run); });
}

void FillElements(uint8_t* dst, int64_t n, const uint8_t* value, size_t elem_size) {
  if (n <= 0) return;
  const size_t total = static_cast<size_t>(n) * elem_size;
  std::memcpy(dst, value, elem_size);
  // Doubling copies of the already written prefix.
  size_t done = elem_size;
  while (done < total) {
    const size_t chunk = done < total - done ? done : total - done;
    std::memcpy(dst + done, dst, chunk);
    done += chunk;
  }
}

}  // namespace pyrt

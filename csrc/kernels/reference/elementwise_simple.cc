#include "kernels/reference/elementwise_simple.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

namespace pyrt {

void SimpleUnaryF32Kernel(SimpleUnaryF32 op, int64_t n, const float* in, float* out) {
  switch (op) {
    case SimpleUnaryF32::kFloor: for (int64_t i = 0; i < n; ++i) out[i] = std::floor(in[i]); break;
    case SimpleUnaryF32::kCeil: for (int64_t i = 0; i < n; ++i) out[i] = std::ceil(in[i]); break;
    case SimpleUnaryF32::kSin: for (int64_t i = 0; i < n; ++i) out[i] = std::sin(in[i]); break;
    case SimpleUnaryF32::kCos: for (int64_t i = 0; i < n; ++i) out[i] = std::cos(in[i]); break;
    case SimpleUnaryF32::kElu:
      for (int64_t i = 0; i < n; ++i) out[i] = in[i] < 0.f ? std::expm1(in[i]) : in[i];
      break;
    case SimpleUnaryF32::kRound:  // RoundToNearest: halves to even, via floor (-0.4 -> +0)
      for (int64_t i = 0; i < n; ++i) {
        const float f = std::floor(in[i]);
        const float diff = in[i] - f;
        // The reference's int cast of f only matters at exact halves, where |f| < 2^23.
        const bool even = diff == 0.5f && static_cast<int64_t>(f) % 2 == 0;
        out[i] = diff < 0.5f || even ? f : f + 1.0f;
      }
      break;
    case SimpleUnaryF32::kRelu0To1:
      for (int64_t i = 0; i < n; ++i) out[i] = std::min(std::max(0.f, in[i]), 1.f);
      break;
  }
}

void LogSoftmaxF32(int64_t rows, int64_t depth, const float* in, float* out) {
  for (int64_t r = 0; r < rows; ++r, in += depth, out += depth) {
    float max = std::numeric_limits<float>::lowest();
    for (int64_t c = 0; c < depth; ++c) max = std::max(max, in[c]);
    float sum = 0.f;
    for (int64_t c = 0; c < depth; ++c) sum += std::exp(in[c] - max);
    const float log_sum = std::log(sum);
    for (int64_t c = 0; c < depth; ++c) out[c] = in[c] - max - log_sum;
  }
}

void Atan2F32(int64_t n, const float* y, const float* x, float* out) {
  for (int64_t i = 0; i < n; ++i) out[i] = std::atan2(y[i], x[i]);
}

void Atan2F64(int64_t n, const double* y, const double* x, double* out) {
  for (int64_t i = 0; i < n; ++i) out[i] = std::atan2(y[i], x[i]);
}

void LogicalNot(int64_t n, const bool* in, bool* out) {
  for (int64_t i = 0; i < n; ++i) out[i] = !in[i];
}

void LogicalBinary(LogicalOp op, const BroadcastPlan& p, const bool* a, const bool* b, bool* out) {
  const int64_t sa = p.stride_a[p.rank - 1], sb = p.stride_b[p.rank - 1];
  ForEachBroadcastRow(p, 0, p.total, [&](int64_t oa, int64_t ob, int64_t oo, int64_t n) {
    if (op == LogicalOp::kAnd) {
      for (int64_t i = 0; i < n; ++i) out[oo + i] = a[oa + i * sa] && b[ob + i * sb];
    } else {
      for (int64_t i = 0; i < n; ++i) out[oo + i] = a[oa + i * sa] || b[ob + i * sb];
    }
  });
}

namespace {

template <typename T>
void SelectTyped(const Select3Plan& p, const bool* c, const T* x, const T* y, T* out) {
  if (p.total == 0) return;
  int64_t index[kMaxBroadcastRank] = {0};
  int64_t oc = 0, ox = 0, oy = 0;
  const int last = p.rank - 1;
  for (int64_t o = 0; o < p.total; ++o) {
    out[o] = c[oc] ? x[ox] : y[oy];
    // Odometer over the output dims, innermost first.
    for (int d = last; d >= 0; --d) {
      oc += p.stride_c[d], ox += p.stride_x[d], oy += p.stride_y[d];
      if (++index[d] < p.dims[d]) break;
      oc -= p.stride_c[d] * p.dims[d], ox -= p.stride_x[d] * p.dims[d];
      oy -= p.stride_y[d] * p.dims[d];
      index[d] = 0;
    }
  }
}

}  // namespace

void SelectKernel(const Select3Plan& p, size_t elem_size, const bool* c, const void* x,
                  const void* y, void* out) {
  switch (elem_size) {
    case 1: return SelectTyped(p, c, static_cast<const uint8_t*>(x), static_cast<const uint8_t*>(y),
                               static_cast<uint8_t*>(out));
    case 2: return SelectTyped(p, c, static_cast<const uint16_t*>(x),
                               static_cast<const uint16_t*>(y), static_cast<uint16_t*>(out));
    case 4: return SelectTyped(p, c, static_cast<const uint32_t*>(x),
                               static_cast<const uint32_t*>(y), static_cast<uint32_t*>(out));
    default: return SelectTyped(p, c, static_cast<const uint64_t*>(x),
                                static_cast<const uint64_t*>(y), static_cast<uint64_t*>(out));
  }
}

}  // namespace pyrt

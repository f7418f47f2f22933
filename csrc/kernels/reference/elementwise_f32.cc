#include "kernels/reference/elementwise_f32.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace pyrt {
namespace {

// out = f(a, b) over the plan (f applies any clamp itself); rows where both
// operands advance go through row(x, y, z, n).
template <typename F, typename Row>
void BinaryRows(const BroadcastPlan& plan, const float* a, const float* b, float* out, F f,
                Row row) {
  const int64_t sa = plan.stride_a[plan.rank - 1], sb = plan.stride_b[plan.rank - 1];
  // [rows][n] against one row of n, either side ([1,1,C] PRELU alphas,
  // squeeze-excite scales, an RGB normalization's 3 means): rows too short
  // for the per-row walk. Rows of fewer than kRepeatFloats / 2 run as long
  // rows against that row repeated (the row kernel per 3-value pixel cost
  // 10 ns); the row kernels are elementwise, so results are the same.
  const int64_t n = plan.dims[1];
  const bool b_repeats = plan.rank == 2 && plan.stride_a[0] == n && plan.stride_b[0] == 0;
  const bool a_repeats = plan.rank == 2 && plan.stride_b[0] == n && plan.stride_a[0] == 0;
  if (sa == 1 && sb == 1 && (a_repeats || b_repeats)) {
    const float* once = a_repeats ? a : b;  // the repeated row
    const float* rows = a_repeats ? b : a;
    constexpr int64_t kRepeatFloats = 256;
    const int64_t per_call = n <= kRepeatFloats / 2 ? kRepeatFloats / n : 1;
    float repeated[kRepeatFloats];
    if (per_call > 1)
      for (int64_t i = 0; i < per_call * n; ++i) repeated[i] = once[i % n];
    const float* other = per_call > 1 ? repeated : once;
    for (int64_t r = 0; r < plan.dims[0]; r += per_call) {
      const int64_t m = std::min(per_call, plan.dims[0] - r) * n;
      const float* x = rows + r * n;
      if (a_repeats) {
        row(other, x, out + r * n, m);
      } else {
        row(x, other, out + r * n, m);
      }
    }
    return;
  }
  ForEachBroadcastRow(plan, 0, plan.total, [&](int64_t oa, int64_t ob, int64_t oo, int64_t n) {
    const float* x = a + oa;
    const float* y = b + ob;
    float* z = out + oo;
    if (sa == 1 && sb == 1) {
      row(x, y, z, n);
    } else if (sa == 1) {
      const float v = y[0];
      for (int64_t i = 0; i < n; ++i) z[i] = f(x[i], v);
    } else if (sb == 1) {
      const float v = x[0];
      for (int64_t i = 0; i < n; ++i) z[i] = f(v, y[i]);
    } else {
      const float v = f(x[0], y[0]);
      for (int64_t i = 0; i < n; ++i) z[i] = v;
    }
  });
}

inline float Prelu(float x, float alpha) { return x >= 0.f ? x : x * alpha; }

void AccumulateDims(const ReducePlan& p, size_t d, const float*& in, float* sums) {
  const int64_t n = p.dims[d], stride = p.out_stride[d];
  if (d + 1 == p.dims.size()) {
    if (stride == 0) {
      // Eight interleaved partial sums, then added pairwise: one sum waited
      // on the add latency per value (a LayerNorm's MEAN over 32 values).
      // The order differs from the reference's running sum by float
      // rounding only, within the float oracle, as XNNPACK's does.
      float part[8] = {};
      int64_t i = 0;
      for (; i + 8 <= n; i += 8)
        for (int j = 0; j < 8; ++j) part[j] += in[i + j];
      for (int j = 0; i < n; ++i, ++j) part[j] += in[i];
      *sums += ((part[0] + part[4]) + (part[1] + part[5])) +
               ((part[2] + part[6]) + (part[3] + part[7]));
    } else {
      for (int64_t i = 0; i < n; ++i) sums[i] += in[i];
    }
    in += n;
    return;
  }
  for (int64_t i = 0; i < n; ++i) AccumulateDims(p, d + 1, in, sums + i * stride);
}

struct Span {
  int begin, end;
};

Span Clip(int o, int stride, int pad, int filter, int in) {
  const int start = o * stride - pad;
  return {std::max(start, 0), std::min(start + filter, in)};
}

template <typename Init, typename Step, typename Finish>
void Pool(const PoolGeometry& g, const float* input, float* output, Init init, Step step,
          Finish finish) {
  const int C = g.channels;
  for (int b = 0; b < g.batch; ++b) {
    const float* image = input + static_cast<size_t>(b) * g.in_h * g.in_w * C;
    for (int oy = 0; oy < g.out_h; ++oy) {
      const Span ys = Clip(oy, g.stride_h, g.pad_top, g.filter_h, g.in_h);
      for (int ox = 0; ox < g.out_w; ++ox, output += C) {
        const Span xs = Clip(ox, g.stride_w, g.pad_left, g.filter_w, g.in_w);
        for (int c = 0; c < C; ++c) output[c] = init;
        for (int y = ys.begin; y < ys.end; ++y)
          for (int x = xs.begin; x < xs.end; ++x) {
            const float* px = image + (static_cast<size_t>(y) * g.in_w + x) * C;
            for (int c = 0; c < C; ++c) output[c] = step(output[c], px[c]);
          }
        const int count = std::max(ys.end - ys.begin, 0) * std::max(xs.end - xs.begin, 0);
        for (int c = 0; c < C; ++c) output[c] = finish(output[c], count);
      }
    }
  }
}

}  // namespace

void BinaryF32(Isa isa, BinaryF32Op op, const BroadcastPlan& plan, const float* a, const float* b,
               float* out, float lo, float hi) {
  const F32VopsConfig& k = F32VopsConfigFor(isa);
  auto rows = [lo, hi](BinaryRowF32Fn fn) {
    return [fn, lo, hi](const float* x, const float* y, float* z, int64_t n) { fn(x, y, z, n, lo, hi); };
  };
  switch (op) {
    case BinaryF32Op::kAdd:
      return BinaryRows(plan, a, b, out,
                        [lo, hi](float x, float y) { return std::min(std::max(x + y, lo), hi); },
                        rows(k.add));
    case BinaryF32Op::kSub:
      return BinaryRows(plan, a, b, out,
                        [lo, hi](float x, float y) { return std::min(std::max(x - y, lo), hi); },
                        rows(k.sub));
    case BinaryF32Op::kMul:
      return BinaryRows(plan, a, b, out,
                        [lo, hi](float x, float y) { return std::min(std::max(x * y, lo), hi); },
                        rows(k.mul));
    case BinaryF32Op::kPrelu:
      // [rows][C] against C alphas in one call: rows of 16-64 channels.
      if (plan.rank == 2 && plan.stride_a[1] == 1 && plan.stride_b[1] == 1 &&
          plan.stride_a[0] == plan.dims[1] && plan.stride_b[0] == 0)
        return k.prelu(a, b, out, plan.dims[0], plan.dims[1]);
      return BinaryRows(plan, a, b, out, Prelu,
                        [&k](const float* x, const float* y, float* z, int64_t n) {
                          k.prelu(x, y, z, 1, n);
                        });
  }
}

float LogisticF32Value(float x) {
  // The reference's cutoffs: exp(x) itself below -9 (not 1 / (1 + exp(-x)),
  // a few ulps off there), 1 above 16.619047.
  constexpr float kUpper = 16.619047164916992188f, kLower = -9.f;
  return x > kUpper ? 1.f : x < kLower ? std::exp(x) : 1.f / (1.f + std::exp(-x));
}

void LogisticF32(int64_t n, const float* in, float* out) {
  for (int64_t i = 0; i < n; ++i) out[i] = LogisticF32Value(in[i]);
}

void HardSwishF32(int64_t n, const float* in, float* out) {
  for (int64_t i = 0; i < n; ++i)
    out[i] = in[i] * std::min(std::max(in[i] + 3.f, 0.f), 6.f) / 6.f;
}

void SoftmaxF32(int64_t rows, int depth, float beta, const float* in, float* out) {
  for (int64_t r = 0; r < rows; ++r, in += depth, out += depth) {
    float max = -std::numeric_limits<float>::infinity();
    for (int i = 0; i < depth; ++i) max = std::max(max, in[i]);
    float sum = 0.f;
    for (int i = 0; i < depth; ++i) {
      out[i] = std::exp((in[i] - max) * beta);
      sum += out[i];
    }
    const float inv = 1.f / sum;
    for (int i = 0; i < depth; ++i) out[i] *= inv;
  }
}

void ReduceSumF32(const ReducePlan& plan, float divisor, const float* in, float* out) {
  std::fill(out, out + plan.num_outputs, 0.f);
  if (plan.num_inputs > 0) AccumulateDims(plan, 0, in, out);
  for (int64_t i = 0; i < plan.num_outputs; ++i) out[i] /= divisor;
}

void AveragePoolF32(const PoolGeometry& g, const float* in, float* out, float lo, float hi) {
  Pool(g, in, out, 0.f, [](float acc, float x) { return acc + x; },
       [lo, hi](float acc, int count) {
         return std::min(std::max(acc / static_cast<float>(count), lo), hi);
       });
}

}  // namespace pyrt

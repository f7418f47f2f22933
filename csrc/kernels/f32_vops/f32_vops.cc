#include "kernels/f32_vops/f32_vops.h"

#include <algorithm>
#include <cstring>
#include <limits>

namespace pyrt {
namespace f32_vops_portable {
namespace {

template <typename F>
void Binary(const float* x, const float* y, float* z, int64_t n, float lo, float hi, F f) {
  for (int64_t i = 0; i < n; ++i) z[i] = std::min(std::max(f(x[i], y[i]), lo), hi);
}

inline float PreluOne(float x, float alpha) { return x >= 0.f ? x : x * alpha; }

// One row of n, 4 lanes a step with GCC/Clang vector extensions: the scalar
// loop does not vectorize (under -ftrapping-math GCC keeps the select a
// branch on the sign, mispredicted half the time).
void PreluRow(const float* x, const float* alpha, float* out, int64_t n) {
  typedef float V4 __attribute__((vector_size(16)));
  typedef int32_t I4 __attribute__((vector_size(16)));
  const V4 zero = {0.f, 0.f, 0.f, 0.f};
  int64_t i = 0;
  for (; i + 4 <= n; i += 4) {
    V4 v, a;
    std::memcpy(&v, x + i, sizeof(v));
    std::memcpy(&a, alpha + i, sizeof(a));
    const V4 scaled = v * a;
    const I4 keep = v >= zero;  // all ones where x >= 0 (false for NaN)
    I4 vi, si;
    std::memcpy(&vi, &v, sizeof(vi));
    std::memcpy(&si, &scaled, sizeof(si));
    const I4 r = (vi & keep) | (si & ~keep);  // a bitwise select: GCC and Clang alike
    std::memcpy(out + i, &r, sizeof(r));
  }
  for (; i < n; ++i) out[i] = PreluOne(x[i], alpha[i]);
}

struct Span {
  int begin, end;
};

Span Clip(int o, int stride, int pad, int filter, int in) {
  const int start = o * stride - pad;
  return {std::max(start, 0), std::min(start + filter, in)};
}

}  // namespace

void Add(const float* x, const float* y, float* z, int64_t n, float lo, float hi) {
  Binary(x, y, z, n, lo, hi, [](float a, float b) { return a + b; });
}
void Sub(const float* x, const float* y, float* z, int64_t n, float lo, float hi) {
  Binary(x, y, z, n, lo, hi, [](float a, float b) { return a - b; });
}
void Mul(const float* x, const float* y, float* z, int64_t n, float lo, float hi) {
  Binary(x, y, z, n, lo, hi, [](float a, float b) { return a * b; });
}

void Prelu(const float* x, const float* alpha, float* out, int64_t rows, int64_t n) {
  for (int64_t r = 0; r < rows; ++r, x += n, out += n) PreluRow(x, alpha, out, n);
}

void Clamp(const float* x, float* out, int64_t n, float lo, float hi) {
  for (int64_t i = 0; i < n; ++i) out[i] = std::min(std::max(lo, x[i]), hi);
}

void MaxPool(const PoolGeometry& g, const float* input, float* output, float lo, float hi) {
  const int C = g.channels;
  for (int b = 0; b < g.batch; ++b) {
    const float* image = input + static_cast<size_t>(b) * g.in_h * g.in_w * C;
    for (int oy = 0; oy < g.out_h; ++oy) {
      const Span ys = Clip(oy, g.stride_h, g.pad_top, g.filter_h, g.in_h);
      for (int ox = 0; ox < g.out_w; ++ox, output += C) {
        const Span xs = Clip(ox, g.stride_w, g.pad_left, g.filter_w, g.in_w);
        for (int c = 0; c < C; ++c) output[c] = -std::numeric_limits<float>::infinity();
        for (int y = ys.begin; y < ys.end; ++y)
          for (int x = xs.begin; x < xs.end; ++x) {
            const float* px = image + (static_cast<size_t>(y) * g.in_w + x) * C;
            for (int c = 0; c < C; ++c) output[c] = std::max(output[c], px[c]);
          }
        for (int c = 0; c < C; ++c) output[c] = std::min(std::max(output[c], lo), hi);
      }
    }
  }
}

}  // namespace f32_vops_portable

const F32VopsConfig& F32VopsConfigFor(Isa isa) {
  namespace p = f32_vops_portable;
  static const F32VopsConfig kReference{"f32_vops_reference", p::Add,     p::Sub,
                                        p::Mul,               p::Prelu,   p::Clamp,
                                        p::MaxPool,           ResizeBilinearF32};
#if defined(__x86_64__)
  namespace a = f32_vops_avx2;
  static const F32VopsConfig kAvx2{"f32_vops_avx2", a::Add,     a::Sub,
                                   a::Mul,          a::Prelu,   a::Clamp,
                                   a::MaxPool,      a::ResizeBilinear};
  if (IsaAtLeast(isa, Isa::kAvx2)) return kAvx2;
#endif
  (void)isa;
  return kReference;
}

}  // namespace pyrt

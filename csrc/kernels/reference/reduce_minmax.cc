#include "kernels/reference/reduce_minmax.h"

#include <algorithm>
#include <limits>

namespace pyrt {
namespace {

template <bool kMax, typename T>
inline T Pick(T current, T in) {
  if (kMax) return in > current ? in : current;
  return in < current ? in : current;
}

// Folds the input block spanning collapsed dims d.. into `out`; advances `in`.
template <bool kMax, typename T>
void FoldDims(const ReducePlan& p, size_t d, const T*& in, T* out) {
  const int64_t n = p.dims[d];
  const int64_t stride = p.out_stride[d];
  if (d + 1 == p.dims.size()) {
    if (stride == 0) {
      T acc = *out;
      for (int64_t i = 0; i < n; ++i) acc = Pick<kMax>(acc, in[i]);
      *out = acc;
    } else {
      for (int64_t i = 0; i < n; ++i) out[i] = Pick<kMax>(out[i], in[i]);
    }
    in += n;
    return;
  }
  for (int64_t i = 0; i < n; ++i) FoldDims<kMax>(p, d + 1, in, out + i * stride);
}

template <bool kMax, typename T, typename Index>
void ArgMinMaxImpl(const ArgMinMaxShape& s, const T* input, Index* output) {
  for (int64_t o = 0; o < s.outer; ++o) {
    const T* block = input + o * s.axis_size * s.inner;
    for (int64_t k = 0; k < s.inner; ++k) {
      T best = block[k];
      Index best_i = 0;
      for (int64_t i = 1; i < s.axis_size; ++i) {
        const T v = block[i * s.inner + k];
        if (kMax ? v > best : v < best) {
          best = v;
          best_i = static_cast<Index>(i);
        }
      }
      output[o * s.inner + k] = best_i;
    }
  }
}

}  // namespace

template <typename T>
void ReduceMinMax(const ReducePlan& plan, bool is_max, const T* input, T* output) {
  const T init = is_max ? std::numeric_limits<T>::lowest() : std::numeric_limits<T>::max();
  std::fill(output, output + plan.num_outputs, init);
  if (plan.num_inputs == 0) return;
  const T* in = input;
  if (is_max) {
    FoldDims<true>(plan, 0, in, output);
  } else {
    FoldDims<false>(plan, 0, in, output);
  }
}

template <typename T, typename Index>
void ArgMinMax(const ArgMinMaxShape& s, bool is_max, const T* input, Index* output) {
  if (is_max) {
    ArgMinMaxImpl<true>(s, input, output);
  } else {
    ArgMinMaxImpl<false>(s, input, output);
  }
}

#define PYRT_MINMAX_TYPES(X) \
  X(int8_t) X(uint8_t) X(int16_t) X(int32_t) X(int64_t) X(float) X(bool)
#define PYRT_INSTANTIATE(T)                                                          \
  template void ReduceMinMax<T>(const ReducePlan&, bool, const T*, T*);              \
  template void ArgMinMax<T, int32_t>(const ArgMinMaxShape&, bool, const T*, int32_t*); \
  template void ArgMinMax<T, int64_t>(const ArgMinMaxShape&, bool, const T*, int64_t*);
PYRT_MINMAX_TYPES(PYRT_INSTANTIATE)
#undef PYRT_INSTANTIATE
#undef PYRT_MINMAX_TYPES

}  // namespace pyrt

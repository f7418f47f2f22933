#include "kernels/reference/reduce_s8.h"

#include <algorithm>
#include <type_traits>

#include "quant/fixed_point.h"

namespace pyrt {
namespace {

// Wrapping int32 add (TFLite's int32 accumulation wraps on real hardware).
inline int32_t AddWrapping(int32_t a, int32_t b) {
  return static_cast<int32_t>(static_cast<uint32_t>(a) + static_cast<uint32_t>(b));
}

// Adds the input block spanning collapsed dims d.. into `sums`; advances `in`.
template <typename T>
void AccumulateDims(const ReducePlan& p, size_t d, const T*& in, int32_t* sums,
                    AccumulateRowsS8Fn rows_fn) {
  const int64_t n = p.dims[d];
  const int64_t stride = p.out_stride[d];
  if constexpr (std::is_same_v<T, int8_t>) {
    if (rows_fn && d + 2 == p.dims.size() && stride == 0 && p.out_stride[d + 1] == 1) {
      rows_fn(in, n, p.dims[d + 1], sums);
      in += n * p.dims[d + 1];
      return;
    }
  }
  if (d + 1 == p.dims.size()) {
    if (stride == 0) {
      int32_t acc = 0;
      for (int64_t i = 0; i < n; ++i) acc = AddWrapping(acc, in[i]);
      *sums = AddWrapping(*sums, acc);
    } else {
      for (int64_t i = 0; i < n; ++i) sums[i] = AddWrapping(sums[i], in[i]);
    }
    in += n;
    return;
  }
  for (int64_t i = 0; i < n; ++i) AccumulateDims(p, d + 1, in, sums + i * stride, rows_fn);
}

}  // namespace

ReducePlan MakeReducePlan(const std::vector<int32_t>& in_shape, const std::vector<bool>& reduced) {
  ReducePlan p;
  p.num_inputs = 1;
  p.num_outputs = 1;
  std::vector<bool> dim_reduced;
  for (size_t i = 0; i < in_shape.size(); ++i) {
    p.num_inputs *= in_shape[i];
    if (!reduced[i]) p.num_outputs *= in_shape[i];
    if (in_shape[i] == 1) continue;
    if (!p.dims.empty() && dim_reduced.back() == reduced[i]) {
      p.dims.back() *= in_shape[i];
    } else {
      p.dims.push_back(in_shape[i]);
      dim_reduced.push_back(reduced[i]);
    }
  }
  if (p.dims.empty()) {  // one element
    p.dims.push_back(1);
    dim_reduced.push_back(false);
  }
  p.out_stride.resize(p.dims.size());
  int64_t stride = 1;
  for (size_t i = p.dims.size(); i-- > 0;) {
    p.out_stride[i] = dim_reduced[i] ? 0 : stride;
    if (!dim_reduced[i]) stride *= p.dims[i];
  }
  return p;
}

QuantizedMultiplier FoldMeanCount(QuantizedMultiplier q, int64_t count) {
  int k = 0;
  while (k < 63 && (count >> (k + 1)) != 0) ++k;  // floor(log2(count))
  k = std::min(k, 32);
  k = std::min(k, 31 + q.shift);
  QuantizedMultiplier r;
  r.multiplier = static_cast<int32_t>((static_cast<int64_t>(q.multiplier) << k) / count);
  r.shift = q.shift - k;
  return r;
}

template <typename T>
void QuantizedReduceSum(const ReducePlan& plan, const QuantizedReduceParams& p, const T* input,
                        T* output, int32_t* sums, AccumulateRowsS8Fn rows_fn) {
  if (plan.num_inputs == 0) {
    std::fill(output, output + plan.num_outputs, T(0));
    return;
  }
  std::fill(sums, sums + plan.num_outputs, 0);
  const T* in = input;
  AccumulateDims(plan, 0, in, sums, rows_fn);
  FinishQuantizedReduce(plan, p, sums, output);
}

template <typename T>
void FinishQuantizedReduce(const ReducePlan& plan, const QuantizedReduceParams& p,
                           const int32_t* sums, T* output) {
  const int64_t zero_total = static_cast<int64_t>(p.input_zero_point) * p.count;
  for (int64_t o = 0; o < plan.num_outputs; ++o) {
    // int64 difference truncated to int32, as the reference does.
    const int32_t v = static_cast<int32_t>(static_cast<uint64_t>(sums[o] - zero_total));
    int32_t r = MultiplyByQuantizedMultiplier(v, p.rescale.multiplier, p.rescale.shift);
    r = AddWrapping(r, p.output_zero_point);
    output[o] = static_cast<T>(std::min(std::max(r, p.out_min), p.out_max));
  }
}

template void QuantizedReduceSum<int8_t>(const ReducePlan&, const QuantizedReduceParams&,
                                         const int8_t*, int8_t*, int32_t*, AccumulateRowsS8Fn);
template void QuantizedReduceSum<uint8_t>(const ReducePlan&, const QuantizedReduceParams&,
                                          const uint8_t*, uint8_t*, int32_t*, AccumulateRowsS8Fn);
template void QuantizedReduceSum<int16_t>(const ReducePlan&, const QuantizedReduceParams&,
                                          const int16_t*, int16_t*, int32_t*, AccumulateRowsS8Fn);
template void FinishQuantizedReduce<int8_t>(const ReducePlan&, const QuantizedReduceParams&,
                                            const int32_t*, int8_t*);

}  // namespace pyrt

#include "kernels/fully_connected_s8_kernel.h"

#include <algorithm>
#include <type_traits>

#include "kernels/reference/gemm_s8.h"
#include "kernels/reference/requant.h"

namespace pyrt {

void FullyConnectedS8Kernel::Init(Isa isa, int units, int depth, const int8_t* filter,
                                  std::vector<int32_t> bias, std::vector<double> scale,
                                  int32_t output_zero_point, int32_t act_min, int32_t act_max,
                                  int batches) {
  units_ = units;
  depth_ = depth;
  filter_ = filter;
  bias_ = std::move(bias);
  scale_ = std::move(scale);
  output_zero_point_ = output_zero_point;
  act_min_ = act_min;
  act_max_ = act_max;
  packed_ = PackedQs8Gemm::Supported(isa);
  if (packed_) {
    Qs8RequantParams p;
    p.bias = bias_.data();
    p.scale = scale_.data();
    p.output_zero_point = output_zero_point;
    p.act_min = act_min;
    p.act_max = act_max;
    gemm_.Init(isa, Qs8Requant::kFp64, units, depth, filter, p, batches);
  }
}

size_t FullyConnectedS8Kernel::ScratchBytes(int batches) const {
  return packed_ ? gemm_.ScratchBytes(batches) : 0;
}

void FullyConnectedS8Kernel::Run(int batches, const int8_t* input, int8_t* output,
                                 uint8_t* scratch, ThreadPool* pool) const {
  if (!packed_) {
    GemmS8(batches, units_, depth_, input, depth_, filter_, depth_,
           [&](int m, int n, int32_t acc) {
             output[static_cast<int64_t>(m) * units_ + n] = static_cast<int8_t>(
                 RequantizeFp64(acc, bias_[n], scale_[n], output_zero_point_, act_min_, act_max_));
           });
    return;
  }
  if (gemm_.input() == Qs8GemmInput::kS8) {  // int8 A rows: read where they lie
    gemm_.RunInPlace(batches, input, static_cast<size_t>(depth_), output,
                     static_cast<size_t>(units_), scratch, pool);
    return;
  }
  const int kp = gemm_.kp(), depth = depth_;
  gemm_.Run(
      batches,
      [&](int m0, int count, auto* dst) {
        using T = std::remove_pointer_t<decltype(dst)>;
        for (int r = 0; r < count; ++r) {
          const int8_t* src = input + static_cast<size_t>(m0 + r) * depth;
          T* row = dst + static_cast<size_t>(r) * kp;
          for (int k = 0; k < depth; ++k) row[k] = Qs8GemmA<T>::From(src[k]);
          std::fill(row + depth, row + kp, T{0});
        }
      },
      output, static_cast<size_t>(units_), scratch, pool);
}

}  // namespace pyrt

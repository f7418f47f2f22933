// FULLY_CONNECTED int8 on the interpreter's ISA path. Requantizes in double
// like the pinned reference: round-half-away(acc * scale[n]).
#pragma once

#include <cstdint>
#include <vector>

#include "kernels/isa.h"
#include "kernels/qs8_gemm/qs8_gemm.h"

namespace pyrt {

class ThreadPool;

class FullyConnectedS8Kernel {
 public:
  // filter: [units][depth], must outlive the kernel. bias: folded with the
  // input zero point. scale: s_in * s_w[n] / s_out per unit.
  void Init(Isa isa, int units, int depth, const int8_t* filter, std::vector<int32_t> bias,
            std::vector<double> scale, int32_t output_zero_point, int32_t act_min,
            int32_t act_max, int batches = 0);  // batches: M of the Runs, when known

  size_t ScratchBytes(int batches) const;
  // input: [batches][depth]; output: [batches][units].
  void Run(int batches, const int8_t* input, int8_t* output, uint8_t* scratch,
           ThreadPool* pool) const;

 private:
  bool packed_ = false;
  int units_ = 0, depth_ = 0;
  const int8_t* filter_ = nullptr;
  std::vector<int32_t> bias_;
  std::vector<double> scale_;
  int32_t output_zero_point_ = 0, act_min_ = -128, act_max_ = 127;
  PackedQs8Gemm gemm_;
};

}  // namespace pyrt

// Float32 CONV_2D (im2col + packed GEMM; 1x1 stride-1 convolutions read the
// input rows directly), DEPTHWISE_CONV_2D (direct, vectorized over channels)
// and FULLY_CONNECTED (GEMM), on the interpreter's ISA path.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "kernels/conv_geometry.h"
#include "kernels/isa.h"
#include "kernels/reference/gemm_f32.h"

namespace pyrt {

class ThreadPool;

// Elementwise ops a graph applies to a float conv's output alone, done by
// the conv on each block of output rows right after computing it, while the
// block is in cache (interpreter/conv_f32_fusion.h). In order, after the
// conv's own clamp: + residual (a tensor of the output's shape), clamped to
// [add_lo, add_hi] (ADD's fused activation); the RELU family's clamp; PRELU
// with one slope per output channel, or HARD_SWISH; swish (LOGISTIC then
// MUL by the input). Each step is the path's elementwise kernel (kernels/f32_vops,
// kernels/f32_vmath) that the unfused ops run, so outputs are the same bit
// for bit.
struct ConvF32Epilogue {
  bool add = false;
  float add_lo = 0.f, add_hi = 0.f;
  bool clamp = false;
  float clamp_lo = 0.f, clamp_hi = 0.f;
  std::vector<float> alpha;  // out_c PRELU slopes, or empty
  bool hard_swish = false;
  bool swish = false;
  bool empty() const { return !add && !clamp && alpha.empty() && !hard_swish && !swish; }
};

class ConvF32Kernel {
 public:
  // filter: [out_c][filter_h][filter_w][in_c]; bias: out_c floats or null.
  // Both are copied (packed). builtin_rounding: round as the reference
  // (F32GemmBuiltinRoundingConfigFor), on any path. Run calls on one kernel
  // must not overlap (an interpreter serializes its invokes).
  void Init(Isa isa, const ConvGeometry& g, const float* filter, const float* bias,
            float act_min, float act_max, bool builtin_rounding = false);
  size_t scratch_bytes() const;
  // Steps after the clamp, on every path (after Init).
  void SetEpilogue(Isa isa, ConvF32Epilogue epilogue);
  // residual: the epilogue's ADD operand (output-shaped), or null without one.
  void Run(const float* input, float* output, uint8_t* scratch, ThreadPool* pool,
           const float* residual = nullptr) const;

  // For a caller running the conv in its own row ranges (ConvThenDepthwiseF32):
  const ConvGeometry& geometry() const { return g_; }
  bool pointwise() const { return pointwise_; }
  // RunRows' scratch (im2col or indirection rows of one block).
  size_t rows_scratch_bytes() const;
  // Before RunRows calls on `input`: the indirection table, when kept whole.
  void IndexInput(const float* input, ThreadPool* pool) const;
  // Output rows [m0, m0 + count) (pixels counted over all images) to `out`
  // (row m0 first), the epilogue included (residual: those rows of its ADD
  // operand, or null without one), on the calling thread.
  void RunRows(const float* input, int m0, int count, float* out, const float* residual,
               uint8_t* scratch) const;

 private:
  // The epilogue over `rows` output rows at `out` (residual: those rows of
  // its ADD operand, or null).
  void Finish(float* out, const float* residual, int rows) const;
  // Rows [m0, m0 + count) to `out` (row m0's), residual: those rows' (or
  // null); scratch: one block's; whole_table: read table_ (m0 on a group).
  void RunBlock(const float* input, int m0, int count, float* out, const float* residual,
                uint8_t* scratch, bool whole_table) const;
  void Im2colRows(const float* input, int m0, int count, float* dst) const;
  void IndirectionRows(const float* input, int m0, int count, const float** dst) const;

  ConvGeometry g_{};
  bool pointwise_ = false;
  AlignedFloats packed_, bias_;
  std::vector<float> b_rows_;
  std::vector<float> zeros_;          // in_c zeros: the padding taps of igemm_
  std::vector<size_t> tap_offsets_;  // each tap's offset from the window's first pixel
  // Indirection table of all rows for input address table_input_ (sized at
  // Init, refilled by Run when the input moves), or empty: built per block.
  mutable std::vector<const float*> table_;
  mutable const float* table_input_ = nullptr;
  GemmF32Args args_;
  GemmF32RowsFn gemm_ = nullptr;
  IgemmF32RowsFn igemm_ = nullptr;  // set when the path has one (not for 1x1 stride 1)
  ConvF32Epilogue epilogue_;
  Isa isa_ = Isa::kReference;             // the epilogue's kernels' path
  bool path_fuses_tail_ = false;          // F32GemmConfig::fused_tail of the kernels
  // The epilogue is GemmF32Args' fused tail (args_.alpha set), in registers.
  bool tail_in_kernel_ = false;
  AlignedFloats alpha_;  // its PRELU slopes, padded to whole panels with ones
};

// The epilogue over rows x out_c floats of `out` (residual: the same rows of
// the ADD operand), with the elementwise kernels of path `isa`.
void RunConvF32Epilogue(const ConvF32Epilogue& e, Isa isa, float* out, const float* residual,
                        int64_t rows, int out_c);

class DepthwiseF32Kernel {
 public:
  // filter: [1][filter_h][filter_w][out_c]; copied, as is the bias.
  void Init(Isa isa, const ConvGeometry& g, const float* filter, const float* bias,
            float act_min, float act_max, bool builtin_rounding = false);
  // Steps after the clamp, per block of output rows (ConvF32Kernel's).
  void SetEpilogue(Isa isa, ConvF32Epilogue epilogue);
  // With a depth multiplier M > 1: the input with each channel repeated M
  // times, which the rows kernels (multiplier 1 on the SIMD paths) read.
  size_t scratch_bytes() const;
  // residual: the epilogue's ADD operand (output-shaped), or null without one.
  void Run(const float* input, float* output, uint8_t* scratch, ThreadPool* pool,
           const float* residual = nullptr) const;

  // For a caller that holds only some input rows (ConvThenDepthwiseF32):
  const ConvGeometry& geometry() const { return args_.g; }
  // One output channel per input channel and no pixel groups (whose offset
  // table spans whole images): RunImageRows applies.
  bool reads_rows_in_place() const { return !expand_from_ && !args_.tap_offsets; }
  // Output rows [oy0, oy0 + count) of an image to `out` (row oy0 first),
  // epilogue included (residual: those rows of its ADD operand, or null),
  // on the calling thread, reading input rows [lo, hi) of that image from
  // `rows` (row lo first): every input row those outputs' taps reach.
  void RunImageRows(const float* rows, int lo, int hi, int oy0, int count, float* out,
                    const float* residual) const;

 private:
  // The epilogue over `rows` output rows at `out` (ConvF32Kernel's).
  void Finish(float* out, const float* residual, int rows) const;

  int expand_from_ = 0;  // the input's channels when expanded (multiplier > 1), else 0
  AlignedFloats bias_, filter_, zeros_;
  std::vector<int32_t> tap_offsets_;
  DepthwiseF32Args args_;
  DepthwiseF32RowsFn rows_ = nullptr;
  ConvF32Epilogue epilogue_;
  Isa isa_ = Isa::kReference;
};

class FullyConnectedF32Kernel {
 public:
  // weights: [units][depth]; bias: units floats or null. Both are copied.
  void Init(Isa isa, int units, int depth, const float* weights, const float* bias,
            float act_min, float act_max, bool builtin_rounding = false);
  void Run(int batches, const float* input, float* output, ThreadPool* pool) const;

 private:
  AlignedFloats packed_, bias_;
  std::vector<float> b_rows_;
  GemmF32Args args_;
  GemmF32RowsFn gemm_ = nullptr;
};

}  // namespace pyrt

// CONV_2D int8 (NHWC input, OHWI filter) on the interpreter's ISA path:
// the reference kernel, or the packed GEMM over im2col blocks of output
// pixels built on the fly (1x1 stride-1 convolutions read the input rows
// directly; on paths with an indirect microkernel, narrow convolutions
// read a widened, padded copy of the input in place; on paths with a
// segmented GEMM (AMX, AVX-512 VNNI, AVX-VNNI), convolutions whose filter
// rows are whole k groups or short (3-channel stems) read an int8 (x + 128
// uint8) padded copy in place; on AMX CPUs short rows of large k, as a 7x7
// stem's, take im2col rows copied a filter row per vector block; dilated
// stride-1 layers run undilated on phase images of the input). All give
// identical results.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "kernels/isa.h"
#include "kernels/qs8_gemm/qs8_gemm.h"
#include "kernels/qs8_winograd/qs8_winograd.h"
#include "kernels/reference/conv_s8.h"

namespace pyrt {

class ThreadPool;

class ConvS8Kernel {
 public:
  // filter: [out_c][filter_h][filter_w][in_c], must outlive the kernel.
  // bias: folded with the input zero point. multiplier/shift: per output
  // channel, shift in [-31, 31].
  void Init(Isa isa, const ConvGeometry& g, const int8_t* filter, int32_t input_zero_point,
            const std::vector<int32_t>& bias, const std::vector<int32_t>& multiplier,
            const std::vector<int32_t>& shift, int32_t output_zero_point, int32_t act_min,
            int32_t act_max);

  size_t scratch_bytes() const;
  void Run(const int8_t* input, int8_t* output, uint8_t* scratch, ThreadPool* pool) const;
  // The layer when Init chose the exact Winograd path, else null (for the
  // tests).
  const Qs8WinogradLayer* winograd() const { return winograd_ ? &winograd_layer_ : nullptr; }

 private:
  template <typename T>
  void PackRows(const int8_t* input, int m0, int count, T* dst) const;
  int RunBlock() const;
  void InitIndirect(Isa isa, const int8_t* filter, const Qs8RequantParams& p);
  bool InitSegmented(Isa isa, const int8_t* filter, const Qs8RequantParams& p);
  void SetPaddedSize();
  std::vector<int8_t> FilterRuns(const int8_t* filter) const;
  void WidenPadded(const int8_t* input, int16_t* dst, ThreadPool* pool) const;
  template <typename T>
  void PadLines(const int8_t* input, T* padded, int lines, ThreadPool* pool) const;
  void RunIndirect(const int8_t* input, int8_t* output, uint8_t* scratch, ThreadPool* pool) const;
  template <typename T>
  void PadImage(const int8_t* image, T* dst, ThreadPool* pool) const;
  void RunSegmented(const int8_t* input, int8_t* output, uint8_t* scratch, ThreadPool* pool) const;
  size_t SegmentedRows() const;
  size_t PaddedImageBytes() const;

  // Dilated stride-1 layers on the GEMM paths (kernels/conv_s8_phases.cc):
  // the padded input split into dilation_h x dilation_w phase images (every
  // dilation-th pixel), each a batch image of the same filter undilated
  // (phases_, VALID), whose outputs interleave back. The undilated layer
  // takes the fast paths; dilated ones could only build im2col rows, a copy
  // of filter_h * filter_w times the input.
  bool InitPhases(Isa isa, const int8_t* filter, int32_t input_zero_point,
                  const std::vector<int32_t>& bias, const std::vector<int32_t>& multiplier,
                  const std::vector<int32_t>& shift, int32_t output_zero_point, int32_t act_min,
                  int32_t act_max);
  size_t PhaseBytes() const;  // the phase input and output images, 64-byte rounded
  void RunPhases(const int8_t* input, int8_t* output, uint8_t* scratch, ThreadPool* pool) const;
  std::unique_ptr<ConvS8Kernel> phases_;
  bool packed_ = false;
  // im2col path: PackRows' copy size for int8 rows of short filter rows
  // (RunBlock()), 0 for the per-tap packer.
  int run_block_ = 0;
  // Indirect and segmented paths: the padded input copy is padded_h_ x
  // padded_w_ pixels per image, input pixel (iy, ix) at (iy + pad_top,
  // ix + pad_left); a filter row is a run of segment_kp_ values of it.
  bool indirect_ = false;
  // The exact Winograd path (3x3 stride-1 layers on avx2): when set, the
  // layer runs on it instead of the GEMM.
  bool winograd_ = false;
  Qs8WinogradLayer winograd_layer_;
  int padded_h_ = 0, padded_w_ = 0, segment_kp_ = 0;
  // Segmented path (dilation_w 1, A read in place from a padded copy of
  // one image, padded_h_ x padded_w_ pixels, in the GEMM's A format; each
  // filter row a run of segment_kp_ bytes, its padding meeting zero
  // weights). With int8 A (AMX; stride 1) the GEMM's rows are the pixels
  // of the copy; output (oy, ox) is row oy * padded_w_ + ox, its filter
  // rows runs dilation_h padded rows apart; rows with ox >= out_w fall on
  // the padding columns and are dropped. With x + 128 A (SegmentedU8())
  // the GEMM's rows are only the output pixels, each output row a line of
  // the copy, pixels stride_w apart (RunSegmentedLines).
  bool segmented_ = false;
  bool SegmentedU8() const { return segmented_ && gemm_.input() == Qs8GemmInput::kU8Offset128; }
  ConvGeometry g_{};
  const int8_t* filter_ = nullptr;
  int32_t input_zero_point_ = 0;
  OwnedChannelRequant rq_;  // reference path
  PackedQs8Gemm gemm_;
};

}  // namespace pyrt

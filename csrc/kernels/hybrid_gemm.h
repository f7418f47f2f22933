// Hybrid GEMM driver: weights packed once at Prepare, rows of A produced on
// the fly (im2col of the quantized input) block by block, as PackedQs8Gemm
// (qs8_gemm.h) but with float outputs through HybridGemmEpilogue. The path's
// config (kernels/hybrid_gemm/hybrid_gemm_config.h) fixes the tile and the
// format of A. Every unit of work computes whole outputs, so results do not
// depend on the split or the thread count. The portable microkernel serves
// the reference path.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "kernels/hybrid_gemm/hybrid_gemm_config.h"
#include "kernels/hybrid_gemm_ukernel.h"
#include "kernels/isa.h"
#include "core/thread_pool.h"
#include "core/unit_ranges.h"

namespace pyrt {

// One quantized activation q of a row with zero point zp in a path's A
// format: the packers write HybridA<T>::From(q, zp) for each tap and
// HybridA<T>::Pad(zp) for padding taps (which stand for q = zp).
template <typename T>
struct HybridA;
template <>
struct HybridA<int16_t> {
  static int16_t From(int8_t q, int32_t zp) { return static_cast<int16_t>(q - zp); }
  static int16_t Pad(int32_t) { return 0; }
};
template <>
struct HybridA<uint8_t> {
  static uint8_t From(int8_t q, int32_t) { return static_cast<uint8_t>(q ^ 0x80); }  // q + 128
  static uint8_t Pad(int32_t zp) { return static_cast<uint8_t>(zp + 128); }
};
template <>
struct HybridA<int8_t> {  // zero points of hybrid inputs are int8
  static int8_t From(int8_t q, int32_t) { return q; }
  static int8_t Pad(int32_t zp) { return static_cast<int8_t>(zp); }
};

class PackedHybridGemm {
 public:
  static constexpr int kMaxSlots = 8;

  // B: N rows of K int8 weights; col_scale: N filter scales; bias: N floats
  // or null. All copied.
  void Init(Isa isa, int N, int K, const int8_t* B, const float* col_scale, const float* bias,
            float act_min, float act_max);

  int kp() const { return kp_; }  // K rounded up to the path's k group
  const char* kernel_name() const { return config_->name; }
  HybridGemmInput input() const { return config_->input; }
  size_t ScratchBytes(int M) const { return static_cast<size_t>(kMaxSlots) * SlotBytes(M); }

  // pack(m0, count, T* dst): rows m0.. of A in HybridA<T> form (row stride
  // kp(); values past K anything finite: their weights are zero); T is
  // int16_t, uint8_t or int8_t as the path wants, so pass a generic lambda.
  // batch_scale / batch_zero_point: input quantization per image.
  template <typename PackRows>
  void Run(int M, PackRows&& pack, const float* batch_scale, const int32_t* batch_zero_point,
           int rows_per_batch, float* C, size_t ldc, uint8_t* scratch, ThreadPool* pool) const;

  // The same with all of A given in the kS16 form (input() == kS16), row
  // stride kp(): no packing (pointwise convolutions quantize straight into it).
  void RunPacked(int M, const int16_t* a, const float* batch_scale,
                 const int32_t* batch_zero_point, int rows_per_batch, float* C, size_t ldc,
                 ThreadPool* pool) const;

 private:
  size_t AElementBytes() const { return config_->input == HybridGemmInput::kS16 ? 2 : 1; }
  int BlockRows(int M) const { return std::min(block_rows_, (M + mr_ - 1) / mr_ * mr_); }
  size_t SlotBytes(int M) const {
    return (static_cast<size_t>(BlockRows(M)) * kp_ * AElementBytes() + 63) / 64 * 64;
  }
  void RunPanels(const HybridGemmEpilogue& ep, int m0, int rows, const int16_t* a, int p0,
                 int p1, float* c, size_t ldc) const;
  void RunPanels(const HybridGemmEpilogue& ep, int m0, int rows, const uint8_t* a, int p0,
                 int p1, float* c, size_t ldc) const;
  void RunPanels(const HybridGemmEpilogue& ep, int m0, int rows, const int8_t* a, int p0,
                 int p1, float* c, size_t ldc) const;
  HybridGemmEpilogue Epilogue(const float* batch_scale, const int32_t* batch_zero_point,
                              int rows_per_batch) const;
  // rows(m0, count, T* slot) returns rows m0.. of A: written into the slot
  // (a worker's scratch) or found elsewhere.
  template <typename T, typename Rows>
  void RunAs(int M, Rows&& rows, const HybridGemmEpilogue& ep, float* C, size_t ldc,
             uint8_t* scratch, ThreadPool* pool) const;

  const HybridGemmConfig* config_ = nullptr;
  int mr_ = 1, nr_ = 1, N_ = 0, kp_ = 0, block_rows_ = 1;
  std::vector<int8_t> b_;  // [panels][kp / kr][nr][kr]
  std::vector<float> col_scale_, bias_;
  std::vector<int32_t> col_sum_;
  float act_min_ = 0.f, act_max_ = 0.f;
};

// Portable microkernel (any ISA), the kS16 format with 6 x 16 tiles.
void HybridGemmPortable(int mr, int nr, int kp, const int16_t* a, size_t a_stride,
                        const int8_t* b, float* c, size_t c_stride, const HybridGemmEpilogue& ep,
                        int m0, int n0);

template <typename PackRows>
void PackedHybridGemm::Run(int M, PackRows&& pack, const float* batch_scale,
                           const int32_t* batch_zero_point, int rows_per_batch, float* C,
                           size_t ldc, uint8_t* scratch, ThreadPool* pool) const {
  if (M <= 0) return;
  const HybridGemmEpilogue ep = Epilogue(batch_scale, batch_zero_point, rows_per_batch);
  const auto rows = [&](int m0, int count, auto* slot) {
    pack(m0, count, slot);
    return slot;
  };
  switch (config_->input) {
    case HybridGemmInput::kS16: return RunAs<int16_t>(M, rows, ep, C, ldc, scratch, pool);
    case HybridGemmInput::kU8Offset128: return RunAs<uint8_t>(M, rows, ep, C, ldc, scratch, pool);
    case HybridGemmInput::kS8: return RunAs<int8_t>(M, rows, ep, C, ldc, scratch, pool);
  }
}

template <typename T, typename Rows>
void PackedHybridGemm::RunAs(int M, Rows&& rows_of, const HybridGemmEpilogue& ep, float* C,
                             size_t ldc, uint8_t* scratch, ThreadPool* pool) const {
  const int rows = BlockRows(M);
  const int blocks = (M + rows - 1) / rows;
  const int panels = (N_ + nr_ - 1) / nr_;
  const int workers = std::min(pool ? pool->num_threads() : 1, kMaxSlots);
  int chunks = 1;  // few row blocks (FC, small maps): split the columns too
  if (workers > 1 && blocks < 4 * workers)
    chunks = std::min(panels, (4 * workers + blocks - 1) / blocks);
  const size_t slot = SlotBytes(M);
  ParallelUnitsOnWorkers(pool, blocks * chunks, workers, [&](int w, int u) {
    T* a_slot = scratch ? reinterpret_cast<T*>(scratch + w * slot) : nullptr;
    const int m0 = (u / chunks) * rows, count = std::min(rows, M - m0), chunk = u % chunks;
    const T* a = rows_of(m0, count, a_slot);
    RunPanels(ep, m0, count, a, panels * chunk / chunks, panels * (chunk + 1) / chunks,
              C + m0 * ldc, ldc);
  });
}

}  // namespace pyrt

// int8 GEMM with weights packed once (at Prepare) for a SIMD path, and the
// blocked, multi-threaded driver around its microkernel.
//
// C[m][n] = requant(sum_k A[m][k] * B[n][k] + bias[n]) for M x N outputs.
// Rows of A are produced on the fly, block by block, by a caller-supplied
// packer (im2col for convolutions) as rows of kp() values in the format the
// path's microkernels read (int16, or x + 128 as uint8: see input() and
// Qs8GemmA below), so no full im2col matrix ever exists. Work is split into units (a block of rows x a
// range of column panels); each unit computes whole outputs (all of K), so
// results do not depend on the split or the thread count.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "kernels/isa.h"
#include "kernels/qs8_gemm/ukernel.h"
#include "core/thread_pool.h"
#include "core/unit_ranges.h"

namespace pyrt {

// How outputs are requantized; both match the reference kernels exactly.
enum class Qs8Requant { kGemmlowp, kFp64 };

// A row values in a path's input format (Qs8GemmInput): the packers write
// Qs8GemmA<T>::From(x) for each int8 x.
template <typename T>
struct Qs8GemmA;
template <>
struct Qs8GemmA<int16_t> {
  static int16_t From(int8_t x) { return x; }
};
template <>
struct Qs8GemmA<int8_t> {
  static int8_t From(int8_t x) { return x; }
};
template <>
struct Qs8GemmA<uint8_t> {
  static uint8_t From(int8_t x) { return static_cast<uint8_t>(x ^ 0x80); }  // x + 128
};

// The family's dispatch table: the config of `isa` (its own kernels, or the
// best path below it that has some); nullptr where only the reference
// loops exist. rows: the GEMM's M when known (0: unknown, taken as large);
// amx GEMMs of fewer than kQs8GemmAmxMinRows rows use the avx512vnni kernels.
const Qs8GemmConfig* Qs8GemmConfigFor(Isa isa, int rows = 0);

// The entry for a segmented GEMM of `cols` columns (rows of A read in place
// as `runs` runs of `run` bytes: a convolution's filter rows), or nullptr
// where im2col is faster. AMX tile rows would read 64 bytes for a few, 16
// unaligned rows per tile load (a 3-channel stem's 9- or 21-byte runs, 6
// bytes apart at stride 2: slower than im2col), so runs shorter than a tile
// row go to the avx512vnni kernels, which read rows by pointer in 4-byte
// groups, while their k quads are few (a 3x3 stem's 27 bytes); more (a 7x7
// stem's 147) over 64 columns or more run faster on AMX over im2col
// (ConvS8Kernel copies such filter rows whole).
const Qs8GemmConfig* Qs8GemmSegmentedConfigFor(Isa isa, int rows, int cols, int run, int runs);

// Test module only: while set, the amx entry of the table is `config` (the
// kernels built on the AMX tile model), so the kernel twin tests run the
// whole amx path on CPUs without AMX; nullptr restores the product's entry.
// Set it only around a kernel's Init, with no other Init running.
void OverrideQs8GemmAmxConfigForTesting(const Qs8GemmConfig* config);

struct Qs8RequantParams {
  const int32_t* bias = nullptr;        // [N]
  const int32_t* multiplier = nullptr;  // [N] (kGemmlowp)
  const int32_t* shift = nullptr;       // [N] in [-31, 31] (kGemmlowp)
  const double* scale = nullptr;        // [N] (kFp64)
  int32_t output_zero_point = 0, act_min = -128, act_max = 127;
};

class PackedQs8Gemm {
 public:
  // Most blocks that run at once: scratch holds one A block per slot, and
  // Run uses min(threads, kMaxSlots) workers. Static so Prepare can size
  // scratch without knowing the thread count.
  static constexpr int kMaxSlots = 8;

  // True when `isa` has a packed GEMM (every path but the reference).
  static bool Supported(Isa isa);

  // B: N rows of K int8 weights, row stride K; p.bias folded with the input
  // zero point. Requires Supported(isa). rows: M of the Runs to come when
  // known (0: unknown), for the table's choice of kernels (Qs8GemmConfigFor).
  void Init(Isa isa, Qs8Requant requant, int N, int K, const int8_t* B,
            const Qs8RequantParams& p, int rows = 0);
  // The same with a given table entry (tests: emulated kernels).
  void Init(const Qs8GemmConfig* config, Qs8Requant requant, int N, int K, const int8_t* B,
            const Qs8RequantParams& p);

  int kp() const { return kp_; }  // K rounded up to the path's k group
  Qs8GemmInput input() const { return config_->input; }
  size_t ScratchBytes(int M) const { return static_cast<size_t>(kMaxSlots) * SlotBytes(M); }

  // pack(m0, count, T* dst): rows m0..m0+count-1 of A into dst (row stride
  // kp(), values Qs8GemmA<T>::From(x), values past K anything finite: their
  // weights are zero). T is int16_t for input() kS16, uint8_t for
  // kU8Offset128, int8_t for kS8; pass a generic lambda.
  template <typename PackRows>
  void Run(int M, PackRows&& pack, int8_t* C, size_t ldc, uint8_t* scratch,
           ThreadPool* pool) const;

  // True when RunInPlace may be called: int8 A paths, and x + 128 paths
  // with a kernel that flips the sign bits as it reads (gemmlowp only).
  bool ReadsS8InPlace() const { return ukernel_s8_ != nullptr || panels_s8_ != nullptr; }
  // The same for A read in place (ReadsS8InPlace()): row m at a + m * lda
  // (lda >= K). A row's bytes up to kp() are read (past K they meet zero
  // weights) where they lie inside A; the last rows, whose would not, are
  // copied.
  void RunInPlace(int M, const int8_t* a, size_t lda, int8_t* C, size_t ldc, uint8_t* scratch,
                  ThreadPool* pool) const;

  // The k group each run of a segmented A row must fill (its length a
  // multiple of it) on a table entry's kernels; 0 when they read no
  // segmented A (rows whose runs are read in place: a convolution's filter
  // rows from a padded input copy). Then int8 A (AMX) runs RunSegmented,
  // x + 128 A RunSegmentedLines.
  static int SegmentGroup(const Qs8GemmConfig& config);
  size_t SegmentedScratchBytes(int M) const { return kMaxSlots * SegmentedSlotBytes(M); }
  // Row m of A is `segments` runs of kp() / segments bytes (each a multiple
  // of 64), run s at a + m * lda + s * segment_stride. Each unit's rows
  // go to a block of scratch; store(m0, count, n0, n1, c, ldc) then takes
  // columns n0..n1-1 of rows m0..m0+count-1 from c (row m0 first).
  template <typename Store>
  void RunSegmented(int M, const int8_t* a, size_t lda, int segments, size_t segment_stride,
                    Store&& store, uint8_t* scratch, ThreadPool* pool) const;

  // RunSegmented for x + 128 A, writing C directly: A rows lie in lines
  // of `width` (a convolution's output rows), row m at
  // a + (m / width) * line_stride + (m % width) * lda, each row `segments`
  // runs of kp() / segments bytes (each a multiple of 4), run s at
  // s * segment_stride from the row's start; row m of C at C + m * ldc.
  // Only output rows are computed (none to drop, no C scratch), in whole
  // tiles whose rows may span lines.
  void RunSegmentedLines(int M, const uint8_t* a, size_t lda, int width, size_t line_stride,
                         int segments, size_t segment_stride, int8_t* C, size_t ldc,
                         ThreadPool* pool) const;

  // True when the path reads A in place (kS16 with an indirect microkernel
  // and gemmlowp requantization): RunIndirect may be called.
  bool HasIndirect() const { return igemm_ != nullptr; }
  // Row m of A is `segments` runs of kp() / segments int16 values, run s at
  // rows[m - m0] + s * segment_stride, where rows(m0, count, rows) writes the
  // pointers of rows m0..m0+count-1 (no A block is packed; no scratch).
  template <typename RowPointers>
  void RunIndirect(int M, RowPointers&& rows, int segments, size_t segment_stride, int8_t* C,
                   size_t ldc, ThreadPool* pool) const;

 private:
  size_t AElementBytes() const { return config_->input == Qs8GemmInput::kS16 ? 2 : 1; }
  int RoundUpToTiles(int rows) const { return (rows + mr_ - 1) / mr_ * mr_; }
  // Rows per block when M rows are cut into as few blocks of at most
  // max_rows (a multiple of mr) as hold them, all of about the same size in
  // whole tiles: a 49-row map is 30 + 19 rows, not 48 + 1 (a worker would
  // wait while the other ran the large block). At most max_rows and at
  // most M in whole tiles.
  int EvenBlockRows(int M, int max_rows) const {
    const int blocks = (M + max_rows - 1) / max_rows;
    return RoundUpToTiles((M + blocks - 1) / blocks);
  }
  // The most rows a block of M rows can have: sizes the scratch slots.
  int MaxBlockRows(int M) const { return std::min(block_rows_, RoundUpToTiles(M)); }
  int BlockRows(int M) const { return EvenBlockRows(M, block_rows_); }
  // RunSegmentedLines' blocks: the most rows whatever kp, since its rows
  // overlap in place (a block of a 7x7x512 map's rows is its 41 KB padded
  // copy, not 49 x 4608 bytes), and each block streams every panel's weights.
  int SegmentedBlockRows(int M) const {
    return EvenBlockRows(M, std::max(mr_, config_->max_block_rows / mr_ * mr_));
  }
  // How M rows in blocks of `rows` are shared among the workers: units of
  // one row block times a chunk of the column panels, claimed dynamically.
  // Few row blocks (small images, FC) also split the columns so every
  // worker gets a share. Finer chunks, up to 4 units per worker, let a
  // worker that other load slows down take fewer, but each unit re-packs
  // its rows and has its own start and end: only units of kMinUnitMacs or
  // more are split further than the fewest chunks that fill the workers'
  // rounds to 7/8. On 2 threads (amx) that made MobileNetV2, V3Small and
  // EfficientNetB0 2-5% faster than always aiming at 4 units per worker
  // (MobileNetV1 and ResNet50 unchanged: its weight-streaming 7x7 convs
  // still take 4 units per worker). Splitting further still fills the
  // rounds: 3 units on 2 workers would leave one idle for a third of the op.
  struct WorkSplit {
    int panels, chunks, units, workers;
  };
  static constexpr int64_t kMinUnitMacs = int64_t{4} << 20;
  WorkSplit Split(int M, int rows, ThreadPool* pool) const {
    const int blocks = (M + rows - 1) / rows;
    const int panels = (N_ + nr_ - 1) / nr_;
    const int workers = std::min(pool ? pool->num_threads() : 1, kMaxSlots);
    int chunks = 1;
    if (workers > 1) {
      auto filled = [&](int c) {
        const int units = blocks * c, rounds = (units + workers - 1) / workers;
        return 8 * units >= 7 * rounds * workers;
      };
      while (chunks < panels && !filled(chunks)) ++chunks;
      const int64_t block_macs = int64_t{std::min(rows, M)} * kp_ * panels * nr_;
      const int64_t spread = std::min<int64_t>((4 * workers + blocks - 1) / blocks, panels);
      chunks = static_cast<int>(std::max<int64_t>(chunks, std::min(spread, block_macs / kMinUnitMacs)));
      while (chunks < panels && !filled(chunks)) ++chunks;
    }
    return {panels, chunks, blocks * chunks, std::min(workers, blocks * chunks)};
  }
  size_t SlotBytes(int M) const {
    return (static_cast<size_t>(MaxBlockRows(M)) * kp_ * AElementBytes() + 63) / 64 * 64;
  }
  // Rows of A at a, lda apart, times panels p0..p1-1.
  void RunPanels(int rows, const int16_t* a, size_t lda, int p0, int p1, int8_t* c,
                 size_t ldc) const;
  void RunPanels(int rows, const uint8_t* a, size_t lda, int p0, int p1, int8_t* c,
                 size_t ldc) const;
  void RunPanels(int rows, const int8_t* a, size_t lda, int p0, int p1, int8_t* c,
                 size_t ldc) const;
  // Rows of A from 0 whose kp() bytes all lie inside A (RunInPlace).
  int InPlaceRows(int M, size_t lda) const;
  void RunIndirectPanels(int rows, const int16_t* const* a, int segments, size_t segment_stride,
                         int p0, int p1, int8_t* c, size_t ldc) const;
  void PackRequant(Qs8Requant requant, const Qs8RequantParams& p, const int32_t* bias);
  int8_t* RequantOf(int panel) {
    return b_.get() + static_cast<size_t>(panel) * panel_bytes_ + static_cast<size_t>(kp_) * nr_;
  }
  // The row blocks of M as units of work (a block times a chunk of the
  // panels), run as unit(m0, count, p0, p1, slot) by up to kMaxSlots
  // workers, each with its slot of scratch (slot_bytes).
  // block_rows: rows per block (0: BlockRows(M)).
  template <typename Unit>
  void ForEachUnit(int M, size_t slot_bytes, Unit&& unit, uint8_t* scratch, ThreadPool* pool,
                   int block_rows = 0) const;
  int PaddedN() const { return (N_ + nr_ - 1) / nr_ * nr_; }
  size_t SegmentedSlotBytes(int M) const {
    return (static_cast<size_t>(MaxBlockRows(M)) * PaddedN() + 63) / 64 * 64;
  }

  const Qs8GemmConfig* config_ = nullptr;
  Qs8GemmUkernel ukernel_ = nullptr;
  Qs8GemmU8Ukernel ukernel_u8_ = nullptr;
  Qs8GemmS8Ukernel ukernel_s8_ = nullptr;
  Qs8GemmS8PanelsKernel panels_s8_ = nullptr;  // when set, used for kS8 instead
  Qs8GemmU8SegmentedUkernel segmented_u8_ = nullptr;
  Qs8IgemmUkernel igemm_ = nullptr;
  int mr_ = 1, nr_ = 1, N_ = 0, K_ = 0, kp_ = 0, block_rows_ = 1;
  // Per panel of nr output channels, panel_bytes_ apart: its weights
  // [kp / kr][nr][kr] int8, then its requantization (kernels/packed_requant.h;
  // the one copy of it). Padding channels hold zeros. Every byte is written
  // by Init.
  std::unique_ptr<int8_t[]> b_;
  size_t panel_bytes_ = 0;
  // The scalars of the epilogue; RunPanels points its arrays at each panel.
  Qs8GemmEpilogue out_;
};

template <typename PackRows>
void PackedQs8Gemm::Run(int M, PackRows&& pack, int8_t* C, size_t ldc, uint8_t* scratch,
                        ThreadPool* pool) const {
  auto run_as = [&](auto type) {
    using T = decltype(type);
    ForEachUnit(
        M, SlotBytes(M),
        [&](int m0, int count, int p0, int p1, uint8_t* slot) {
          T* a = reinterpret_cast<T*>(slot);
          pack(m0, count, a);
          RunPanels(count, a, static_cast<size_t>(kp_), p0, p1, C + m0 * ldc, ldc);
        },
        scratch, pool);
  };
  switch (config_->input) {
    case Qs8GemmInput::kS16: return run_as(int16_t{});
    case Qs8GemmInput::kU8Offset128: return run_as(uint8_t{});
    case Qs8GemmInput::kS8: return run_as(int8_t{});
  }
}

template <typename Store>
void PackedQs8Gemm::RunSegmented(int M, const int8_t* a, size_t lda, int segments,
                                 size_t segment_stride, Store&& store, uint8_t* scratch,
                                 ThreadPool* pool) const {
  const size_t ldc = PaddedN();
  const Qs8GemmS8PanelsArgs args{N_, kp_, b_.get(), panel_bytes_, &out_};
  ForEachUnit(
      M, SegmentedSlotBytes(M),
      [&](int m0, int count, int p0, int p1, uint8_t* slot) {
        int8_t* c = reinterpret_cast<int8_t*>(slot);
        panels_s8_(args, count, a + static_cast<size_t>(m0) * lda, lda, segments, segment_stride,
                   p0, p1, c, ldc);
        store(m0, count, p0 * nr_, std::min(N_, p1 * nr_), static_cast<const int8_t*>(c), ldc);
      },
      scratch, pool);
}

template <typename Unit>
void PackedQs8Gemm::ForEachUnit(int M, size_t slot_bytes, Unit&& unit, uint8_t* scratch,
                                ThreadPool* pool, int block_rows) const {
  if (M <= 0) return;
  const int rows = block_rows ? block_rows : BlockRows(M);
  const WorkSplit split = Split(M, rows, pool);
  const int panels = split.panels, chunks = split.chunks, units = split.units;
  // Each worker starts on its own range of units and then takes others'
  // (one slowed down by other load on the machine takes fewer); each unit
  // computes whole outputs, so the result does not depend on who runs what.
  ParallelUnitsOnWorkers(pool, units, split.workers, [&](int w, int u) {
    const int m0 = (u / chunks) * rows, count = std::min(rows, M - m0), chunk = u % chunks;
    unit(m0, count, panels * chunk / chunks, panels * (chunk + 1) / chunks,
         scratch + w * slot_bytes);
  });
}

template <typename RowPointers>
void PackedQs8Gemm::RunIndirect(int M, RowPointers&& rows, int segments, size_t segment_stride,
                                int8_t* C, size_t ldc, ThreadPool* pool) const {
  if (M <= 0) return;
  // Blocks of rows whose A runs stay in L1/L2 while the column panels pass;
  // few blocks (small images) also split the columns, as Run does.
  constexpr int kRows = 48;
  const int block_rows = EvenBlockRows(M, std::max(mr_, kRows / mr_ * mr_));
  const WorkSplit split = Split(M, block_rows, pool);
  const int panels = split.panels, chunks = split.chunks, units = split.units;
  ParallelUnitsOnWorkers(pool, units, split.workers, [&](int, int u) {
    const int16_t* a[kRows];
    const int m0 = (u / chunks) * block_rows, count = std::min(block_rows, M - m0);
    const int chunk = u % chunks;
    rows(m0, count, a);
    RunIndirectPanels(count, a, segments, segment_stride, panels * chunk / chunks,
                      panels * (chunk + 1) / chunks, C + m0 * ldc, ldc);
  });
}

}  // namespace pyrt

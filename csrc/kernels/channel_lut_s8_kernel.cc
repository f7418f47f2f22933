#include "kernels/channel_lut_s8_kernel.h"

#include <algorithm>

#include "core/thread_pool.h"
#include "core/unit_ranges.h"

#if defined(__x86_64__)
#include "kernels/x86/avx2/x8_channel_lut_avx2.h"
#include "kernels/x86/avx512vnni/x8_channel_lut_avx512.h"
#define PYRT_HAVE_X86_KERNELS 1
#endif

namespace pyrt {
namespace {

// Below this many elements a second thread costs more than it saves.
constexpr int64_t kMinElementsPerTask = 32768;

}  // namespace

void ChannelLutS8Rows(const int8_t* table, int64_t channels, int64_t rows, const int8_t* in,
                      int8_t* out) {
  for (int64_t r = 0; r < rows; ++r, in += channels, out += channels) {
    const int8_t* t = table;
    for (int64_t c = 0; c < channels; ++c, t += 256) out[c] = t[static_cast<uint8_t>(in[c])];
  }
}

void ChannelLutS8Kernel::Init(Isa isa, const std::vector<int8_t>& table, int64_t channels) {
  table_.assign(table.begin(), table.end());
  table_.resize(table.size() + 4, 0);
  channels_ = channels;
  rows_ = ChannelLutS8Rows;
#ifdef PYRT_HAVE_X86_KERNELS
  if (IsaAtLeast(isa, Isa::kAvx512Vnni)) {
    rows_ = X8ChannelLutAvx512;
  } else if (IsaAtLeast(isa, Isa::kAvx2)) {
    rows_ = X8ChannelLutAvx2;
  }
#endif
  (void)isa;
}

void ChannelLutS8Kernel::Run(int64_t n, const int8_t* input, int8_t* output,
                             ThreadPool* pool) const {
  const int64_t rows = channels_ ? n / channels_ : 0;
  const int threads = pool ? pool->num_threads() : 1;
  const int tasks = static_cast<int>(std::max<int64_t>(
      1, std::min<int64_t>({threads == 1 ? 1 : 4 * threads, n / kMinElementsPerTask, rows})));
  auto task = [&](int t) {
    const int64_t begin = rows * t / tasks, end = rows * (t + 1) / tasks;
    rows_(table_.data(), channels_, end - begin, input + begin * channels_,
          output + begin * channels_);
  };
  ParallelUnits(pool, tasks, task);
}

}  // namespace pyrt

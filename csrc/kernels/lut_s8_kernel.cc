#include "kernels/lut_s8_kernel.h"

#include <algorithm>
#include <cstring>

#include "kernels/reference/activations_s8.h"
#include "core/thread_pool.h"
#include "core/unit_ranges.h"

#if defined(__x86_64__)
#include "kernels/x86/avx2/x8_lut_avx2.h"
#include "kernels/x86/avx512vbmi/x8_lut_avx512vbmi.h"
#include "kernels/x86/avx512vnni/x8_lut_avx512.h"
#define PYRT_HAVE_X86_KERNELS 1
#endif
#if defined(__aarch64__)
#include "kernels/arm/neon/x8_lut_neon.h"
#define PYRT_HAVE_NEON_KERNELS 1
#endif

namespace pyrt {
namespace {

// Below this many elements a second thread costs more than it saves. With
// several threads the range is cut into up to 4 tasks per thread, handed
// out dynamically, so a thread slowed by other load takes fewer.
constexpr int64_t kMinElementsPerTask = 32768;

// Paths that read the plain table.
void CopyTable(const int8_t lut[256], uint8_t packed[256]) { std::memcpy(packed, lut, 256); }

}  // namespace

const X8LutConfig* X8LutConfigFor(Isa isa) {
#ifdef PYRT_HAVE_X86_KERNELS
  static const X8LutConfig avx2{PackX8LutAvx2, X8LutAvx2};
  static const X8LutConfig avx512{PackX8LutAvx2, X8LutAvx512};
  static const X8LutConfig avx512vbmi{
      CopyTable, [](const uint8_t packed[256], int64_t n, const int8_t* in, int8_t* out) {
        X8LutAvx512Vbmi(reinterpret_cast<const int8_t*>(packed), n, in, out);
      }};
  if (IsaAtLeast(isa, Isa::kAvx512Vnni)) return CpuHasAvx512Vbmi() ? &avx512vbmi : &avx512;
  if (IsaAtLeast(isa, Isa::kAvx2)) return &avx2;
#endif
#ifdef PYRT_HAVE_NEON_KERNELS
  static const X8LutConfig neon{
      CopyTable, [](const uint8_t packed[256], int64_t n, const int8_t* in, int8_t* out) {
        X8LutNeon(reinterpret_cast<const int8_t*>(packed), n, in, out);
      }};
  if (IsaAtLeast(isa, Isa::kNeon)) return &neon;
#endif
  (void)isa;
  return nullptr;
}

void LutS8Kernel::Init(Isa isa, const int8_t lut[256]) {
  std::memcpy(lut_, lut, sizeof(lut_));
  config_ = X8LutConfigFor(isa);
  if (config_) config_->pack(lut_, packed_);
}

void LutS8Kernel::Run(int64_t n, const int8_t* input, int8_t* output, ThreadPool* pool) const {
  ParallelSlices(pool, n, kMinElementsPerTask, [&](int64_t begin, int64_t end) {
    if (config_) return config_->run(packed_, end - begin, input + begin, output + begin);
    LookupTableS8(lut_, end - begin, input + begin, output + begin);
  });
}

}  // namespace pyrt

#include "testing/peak_macs.h"

#include <algorithm>
#include <chrono>
#include <cstdint>

#include "core/error.h"

#if defined(__x86_64__)
#define PYRT_HAVE_AVX2_KERNELS 1
#include "testing/peak_macs_amx.h"
#include "testing/peak_macs_avx2.h"
#include "testing/peak_macs_avx512vnni.h"
#include "testing/peak_macs_avxvnni.h"
#endif

namespace pyrt {
namespace {

using LoopFn = int32_t (*)(int64_t);

// Doubles the iteration count until one run takes `seconds`, then reports
// the best of three runs of that length (the least disturbed one).
double MacsPerSecond(LoopFn loop, int64_t macs_per_iteration, double seconds) {
  using Clock = std::chrono::steady_clock;
  volatile int32_t sink = 0;
  auto time = [&](int64_t n) {
    const auto t0 = Clock::now();
    sink = sink + loop(n);
    return std::chrono::duration<double>(Clock::now() - t0).count();
  };
  int64_t n = 1024;
  while (time(n) < seconds / 4 && n < (int64_t{1} << 40)) n *= 2;
  double best = 0;
  for (int r = 0; r < 3; ++r) {
    const double t = time(n);
    if (t > 0) best = std::max(best, static_cast<double>(n) * macs_per_iteration / t);
  }
  return best;
}

int32_t ScalarLoop(int64_t iterations) {
  int32_t acc[8] = {1, 2, 3, 4, 5, 6, 7, 8};
  int8_t a = 3;
  for (int64_t i = 0; i < iterations; ++i) {
    asm volatile("" : "+r"(a));
    for (int k = 0; k < 8; ++k) acc[k] += a * static_cast<int8_t>(acc[k]);
  }
  return acc[0] ^ acc[7];
}

}  // namespace

std::vector<PeakMacs> MeasurePeakMacs(Isa isa, double seconds) {
  if (!IsaAvailable(isa)) throw UsageError(StrCat("ISA ", IsaName(isa), " is not available here"));
  if (!(seconds > 0 && seconds <= 60)) throw UsageError("seconds must be in (0, 60]");
  if (IsaEmulated(isa))  // the loops are the real instructions
    throw UsageError(StrCat("ISA ", IsaName(isa), " is emulated by this build: no peak to measure"));
  switch (isa) {
    case Isa::kReference:
      return {{"scalar imul", MacsPerSecond(ScalarLoop, 8, seconds)}};
    case Isa::kAvx2:
#ifdef PYRT_HAVE_AVX2_KERNELS
      return {{"vpmaddwd ymm", MacsPerSecond(Avx2MaddwdThroughputLoop, kAvx2MaddwdMacsPerIteration, seconds)},
              {"vpmaddubsw ymm (inexact)",
               MacsPerSecond(Avx2MaddubswThroughputLoop, kAvx2MaddubswMacsPerIteration, seconds)}};
#else
      break;
#endif
    case Isa::kAvx512Vnni:
#ifdef PYRT_HAVE_AVX2_KERNELS
      return {{"vpdpbusd zmm",
               MacsPerSecond(Avx512VnniDpbusdThroughputLoop, kAvx512VnniDpbusdMacsPerIteration, seconds)}};
#else
      break;
#endif
    case Isa::kAvxVnni:
#ifdef PYRT_HAVE_AVX2_KERNELS
      return {{"vpdpbusd ymm",
               MacsPerSecond(AvxVnniDpbusdThroughputLoop, kAvxVnniDpbusdMacsPerIteration, seconds)}};
#else
      break;
#endif
    case Isa::kAmx:
#if defined(PYRT_HAVE_AVX2_KERNELS) && defined(PYRT_HAVE_AMX_KERNELS)
      return {{"tdpbssd tile", MacsPerSecond(AmxDpbssdThroughputLoop, kAmxDpbssdMacsPerIteration, seconds)}};
#else
      break;
#endif
    case Isa::kNeon:
    case Isa::kNeonDot:
    case Isa::kNeonI8mm:
      break;  // no Arm hardware to calibrate a peak loop on yet
  }
  throw UsageError(StrCat("no peak loop for ISA ", IsaName(isa)));
}

}  // namespace pyrt

// The AVX-VNNI GEMM microkernels built a second time for the test module,
// against SIMD Everywhere (CMakeLists.txt: -mavx2 -mfma, the cmeel-simde
// headers), so the twin tests run the kernel source on CPUs without AVX-VNNI.
// Names end in Emulated (qs8_gemm_6x16c4_avxvnni.h).
#if defined(__x86_64__)
#define PYRT_EMULATE_AVXVNNI 1
#include "kernels/qs8_gemm/avxvnni/qs8_gemm_6x16c4_avxvnni.cc"  // NOLINT: built twice on purpose
#endif

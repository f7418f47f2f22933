// The AMX GEMM microkernels built a second time for the test module, against
// the software tile model (csrc/testing/amx_tile_model.h; CMakeLists.txt:
// AVX-512 flags, no -mamx-*), so the twin tests run the kernel source on
// CPUs without AMX. Names end in Emulated (qs8_gemm_32x32c4_amx.h).
#if defined(__x86_64__)
#define PYRT_EMULATE_AMX 1
#include "kernels/qs8_gemm/amx/qs8_gemm_32x32c4_amx.cc"  // NOLINT: built twice on purpose
#endif

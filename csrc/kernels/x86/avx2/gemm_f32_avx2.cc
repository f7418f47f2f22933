// AVX2 build of the float32 GEMM / depthwise bodies (this file gets -mavx2
// and -ffp-contract=off; only reached through GemmF32ForIsa(Isa::kAvx2)).
#define PYRT_F32_NS f32_avx2
#include "kernels/reference/gemm_f32_body.h"

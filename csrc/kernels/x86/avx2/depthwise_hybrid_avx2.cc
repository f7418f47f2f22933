// The hybrid depthwise body compiled with -mavx2 -mfma -ffp-contract=off
// (CMakeLists.txt); called only when the CPU has AVX2.
#include <algorithm>

#include "kernels/depthwise_hybrid_kernel.h"

namespace pyrt {
namespace dwh_avx2 {
#include "kernels/depthwise_hybrid_body.h"
}  // namespace dwh_avx2
}  // namespace pyrt

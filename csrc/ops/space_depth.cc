// DEPTH_TO_SPACE and SPACE_TO_DEPTH on 4-D NHWC tensors, any dense dtype, no
// quantization check (TFLite has none). With block size b and C the channels
// of the deeper tensor, depth [h][w][(i*b + j)*C' + c] maps to space
// [h*b + i][w*b + j][c]. Both are one block copy whose runs are C' channels.
#include "kernels/reference/data_movement.h"
#include "ops/movement_common.h"
#include "ops/op.h"
#include "ops/registry.h"

namespace pyrt {
namespace {

class SpaceDepth : public Op {
 public:
  explicit SpaceDepth(bool to_space) : to_space_(to_space) {}

  void Prepare() override {
    RequireInputCount(1, 1);
    RequireOutputCount(1);
    const Tensor& in = input(0);
    const int64_t elem = static_cast<int64_t>(CopyableSameTypeElementSize(in, output(0), label()));
    PYRT_ENSURE(in.rank() == 4, label(), ": input must be 4-D, got ", ShapeToString(in.shape));
    const int64_t b = options<BlockSizeOptions>().block_size;
    PYRT_ENSURE(b > 0 && b <= 65536, label(), ": block_size ", b, " is invalid");
    const int64_t n = in.dim(0);
    // Space-side height/width and space-side channels.
    int64_t h, w, c;
    if (to_space_) {
      PYRT_ENSURE(in.dim(3) % (b * b) == 0, label(), ": input depth ", in.dim(3),
                  " is not a multiple of block_size^2 = ", b * b);
      h = in.dim(1) * b;
      w = in.dim(2) * b;
      c = in.dim(3) / (b * b);
      PYRT_ENSURE(h <= kMaxTensorElements && w <= kMaxTensorElements, label(), ": output too large");
      SetOutputShape(output(0), {in.dim(0), static_cast<int32_t>(h), static_cast<int32_t>(w),
                                 static_cast<int32_t>(c)});
    } else {
      PYRT_ENSURE(in.dim(1) % b == 0 && in.dim(2) % b == 0, label(), ": input height and width ",
                  ShapeToString(in.shape), " must be multiples of block_size ", b);
      h = in.dim(1);
      w = in.dim(2);
      c = in.dim(3);
      SetOutputShape(output(0), {in.dim(0), static_cast<int32_t>(h / b),
                                 static_cast<int32_t>(w / b), static_cast<int32_t>(c * b * b)});
    }
    // Byte strides of the 6-D views [n][h/b][i][w/b][j][c] (space side) and
    // [n][h/b][w/b][i][j][c] (depth side), indexed as (n, hb, i, wb, j).
    const int64_t run = c * elem;
    const int64_t hb = h / b, wb = w / b;
    const int64_t space[5] = {h * w * run, b * w * run, w * run, b * run, run};
    const int64_t depth[5] = {h * w * run, wb * b * b * run, b * run, b * b * run, run};
    const int64_t count[5] = {n, hb, b, wb, b};
    const int64_t* src = to_space_ ? depth : space;
    const int64_t* dst = to_space_ ? space : depth;
    CopyPlan plan;
    plan.run_bytes = run;
    // Walk in the output's order so that writes are sequential.
    const int order_space[5] = {0, 1, 2, 3, 4}, order_depth[5] = {0, 1, 3, 2, 4};
    const int* order = to_space_ ? order_space : order_depth;
    for (int k = 0; k < 5; ++k) AddCopyAxis(&plan, count[order[k]], src[order[k]], dst[order[k]]);
    plan_ = SimplifyCopyPlan(plan);
  }

  void Eval(const EvalContext&) override { BlockCopy(plan_, input(0).data, output(0).data); }

 private:
  bool to_space_;
  CopyPlan plan_;
};

}  // namespace

std::unique_ptr<Op> MakeDepthToSpace() { return std::make_unique<SpaceDepth>(true); }
std::unique_ptr<Op> MakeSpaceToDepth() { return std::make_unique<SpaceDepth>(false); }

}  // namespace pyrt

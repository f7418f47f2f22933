#include "ops/fused_channel_lut.h"

#include <utility>

#include "kernels/channel_lut_s8_kernel.h"

namespace pyrt {
namespace {

class FusedChannelLutS8 : public Op {
 public:
  FusedChannelLutS8(std::vector<int8_t> table, int64_t channels)
      : table_(std::move(table)), channels_(channels) {}

  void Prepare() override {
    RequireInputCount(1, 1);
    RequireOutputCount(1);
    const Tensor& in = input(0);
    RequireType(in, DType::kInt8, "input");
    RequireType(output(0), DType::kInt8, "output");
    PYRT_ENSURE(in.shape == output(0).shape, label(), ": fused input and output shapes differ: ",
                ShapeToString(in.shape), " vs ", ShapeToString(output(0).shape));
    PYRT_ENSURE(channels_ >= 1 && in.rank() >= 1 && in.shape.back() == channels_ &&
                    table_.size() == static_cast<size_t>(channels_) * 256,
                label(), ": per-channel table of ", channels_,
                " channels does not fit input shape ", ShapeToString(in.shape));
    kernel_.Init(isa(), table_, channels_);
  }

  void Eval(const EvalContext& ctx) override {
    const Tensor& in = input(0);
    kernel_.Run(in.num_elements(), in.data_as<int8_t>(), output(0).data_as<int8_t>(), ctx.pool);
  }

 private:
  std::vector<int8_t> table_;
  int64_t channels_;
  ChannelLutS8Kernel kernel_;
};

}  // namespace

std::unique_ptr<Op> MakeFusedChannelLutS8(std::vector<int8_t> table, int64_t channels) {
  return std::make_unique<FusedChannelLutS8>(std::move(table), channels);
}

}  // namespace pyrt

// UNIDIRECTIONAL_SEQUENCE_LSTM, int8 full-integer version (8x8->16): int8
// input/output/weights, int16 cell state with a power-of-two scale, int32
// biases, and the op's five "intermediate" tensors for the gate and hidden
// scales (TFLite unidirectional_sequence_lstm.cc PopulateQuantizedLstmParams8x8_16).
//
// Prepare computes each effective scale in float as TFLite does
// (weight_scale * input_scale / gate_scale), then QuantizeMultiplier; the
// zero points are folded into per-row biases. Layer normalization and
// projection are not supported yet (rejected at load).
#include <algorithm>
#include <cmath>
#include <utility>
#include <vector>

#include "kernels/reference/lstm_s8.h"
#include "ops/lstm_common.h"
#include "ops/registry.h"

namespace pyrt {
namespace {

class UnidirectionalSequenceLstmS8 : public Op {
 public:
  void Prepare() override {
    const RecurrentOptions& o = options<RecurrentOptions>();
    s_ = CheckLstmOperands(*this, bound_inputs().data(), num_inputs(), o.time_major);
    RequireOutputCount(1);
    PYRT_ENSURE(!s_.layer_norm, label(), ": int8 layer-norm LSTM is not supported");
    PYRT_ENSURE(!s_.projection, label(), ": int8 LSTM with projection is not supported");
    PYRT_ENSURE(o.cell_clip >= 0.f && o.proj_clip >= 0.f, label(), ": negative clip value");
    Tensor& x = input(kLstmInput);
    Tensor& h = input(kLstmOutputState);
    Tensor& c = input(kLstmCellState);
    RequireType(x, DType::kInt8, "input");
    RequireType(h, DType::kInt8, "output state");
    RequireType(c, DType::kInt16, "cell state");
    RequireType(output(0), DType::kInt8, "output");
    for (Tensor* t : {&x, &h, &c, &output(0)}) RequirePerTensorQuant(*t, "activation");
    for (Tensor* t : {&h, &c})
      PYRT_ENSURE(!t->is_constant, label(), ": state tensor ", t->index, " '", t->name,
                  "' must be a variable tensor, not a constant");
    const std::vector<int32_t>& inter = desc().intermediates;
    PYRT_ENSURE(inter.size() >= 5 && desc().intermediate_quant[4].scale.size() == 1, label(),
                ": expected 5 intermediate tensors, the fifth (hidden state) with one scale; got ",
                inter.size());
    const QuantParams& hq = desc().intermediate_quant[4];
    PYRT_ENSURE(hq.scale[0] > 0.f, label(), ": hidden intermediate scale must be > 0");
    hidden_ = {hq.scale[0], static_cast<int32_t>(hq.zero_point[0])};
    int cell_scale = 0;
    PYRT_ENSURE(CheckedLog2(c.scale(), &cell_scale), label(), ": cell state scale ", c.scale(),
                " is not a power of two");
    PYRT_ENSURE(cell_scale <= 0 && 15 + cell_scale >= 0 && 15 + cell_scale <= 6, label(),
                ": cell state scale 2^", cell_scale, " is outside [2^-15, 2^-9]");

    LstmS8Params& p = params_;
    p = LstmS8Params();
    p.n_input = s_.n_input;
    p.n_cell = s_.n_cell;
    p.n_output = s_.n_output;
    p.n_batch = s_.time_major ? s_.n_batch : 1;
    p.cell_scale = cell_scale;
    p.hidden_zp = hidden_.second;
    p.cell_clip = o.cell_clip > 0.f
                      ? static_cast<int16_t>(std::min(std::max(o.cell_clip / c.scale(), -32768.0f), 32767.0f))
                      : 0;
    const float gate_scale = std::pow(2.0f, -12.0f);  // Q3.12 gates without layer norm
    biases_.assign(8, {});
    for (int g = s_.cifg ? 1 : 0; g < 4; ++g) {
      const Tensor& wx = Weights(kLstmInputToInput + g);
      const Tensor& wh = Weights(kLstmRecurrentToInput + g);
      p.input_weights[g] = wx.data_as<int8_t>();
      p.recurrent_weights[g] = wh.data_as<int8_t>();
      const float ex = wx.scale() * x.scale() / gate_scale;
      const float eh = wh.scale() * h.scale() / gate_scale;
      p.input_scale[g] = QuantizeMultiplier(ex, label() + " input effective scale");
      p.recurrent_scale[g] = QuantizeMultiplier(eh, label() + " recurrent effective scale");
      const Tensor* bias = optional_input(kLstmInputGateBias + g);
      if (bias) RequireType(*bias, DType::kInt32, "gate bias");
      biases_[g] = FoldedBias(wx, bias ? bias->data_as<int32_t>() : nullptr, -x.zero_point());
      biases_[4 + g] = FoldedBias(wh, nullptr, -h.zero_point());
      p.input_bias[g] = biases_[g].data();
      p.recurrent_bias[g] = biases_[4 + g].data();
    }
    if (s_.peephole) {
      const int gates[3] = {0, 1, 3};
      for (int k = 0; k < 3; ++k) {
        if (k == 0 && s_.cifg) continue;
        const Tensor& w = input(kLstmCellToInput + k);
        RequireType(w, DType::kInt16, "peephole weights");
        RequirePerTensorQuant(w, "peephole weights");
        p.peephole[gates[k]] = w.data_as<int16_t>();
        const float e = std::pow(2.0f, static_cast<float>(cell_scale)) * w.scale() / gate_scale;
        p.peephole_scale[gates[k]] = QuantizeMultiplier(e, label() + " peephole effective scale");
      }
    }
    const float hidden_scale = std::pow(2.0f, -15.0f) / hidden_.first * std::pow(2.0f, -15.0f);
    p.hidden_scale = QuantizeMultiplier(hidden_scale, label() + " hidden effective scale");
    SetOutputShape(output(0), s_.time_major ? Shape{s_.n_time, s_.n_batch, s_.n_output}
                                            : Shape{s_.n_batch, s_.n_time, s_.n_output});
    scratch_bytes_ = static_cast<size_t>(LstmS8ScratchBytes(p));
  }

  void Eval(const EvalContext& ctx) override {
    const int8_t* x = input(kLstmInput).data_as<int8_t>();
    int8_t* h = input(kLstmOutputState).data_as<int8_t>();
    int16_t* c = input(kLstmCellState).data_as<int16_t>();
    int8_t* out = output(0).data_as<int8_t>();
    const int64_t ni = s_.n_input, no = s_.n_output, nc = s_.n_cell;
    if (s_.time_major) {
      for (int t = 0; t < s_.n_time; ++t)
        LstmStepS8(params_, x + t * s_.n_batch * ni, h, c, out + t * s_.n_batch * no, ctx.scratch);
      return;
    }
    for (int b = 0; b < s_.n_batch; ++b)
      for (int t = 0; t < s_.n_time; ++t) {
        const int64_t row = static_cast<int64_t>(b) * s_.n_time + t;
        LstmStepS8(params_, x + row * ni, h + b * no, c + b * nc, out + row * no, ctx.scratch);
      }
  }

 private:
  const Tensor& Weights(int i) {
    const Tensor& w = input(i);
    RequireType(w, DType::kInt8, "weights");
    RequirePerTensorQuant(w, "weights");
    PYRT_ENSURE(w.is_constant, label(), ": weights '", w.name, "' must be constant");
    return w;
  }

  // bias[r] + zp * sum_c w[r, c] (TFLite's PrecomputeZeroPointTimesWeightWithBias).
  static std::vector<int32_t> FoldedBias(const Tensor& w, const int32_t* bias, int32_t zp) {
    const int rows = w.dim(0), cols = w.dim(1);
    std::vector<int32_t> out(rows);
    const int8_t* d = w.data_as<int8_t>();
    for (int r = 0; r < rows; ++r) {
      int32_t sum = 0;
      for (int c = 0; c < cols; ++c) sum += d[static_cast<int64_t>(r) * cols + c];
      out[r] = (bias ? bias[r] : 0) + sum * zp;
    }
    return out;
  }

  LstmShape s_;
  LstmS8Params params_;
  std::vector<std::vector<int32_t>> biases_;
  std::pair<float, int32_t> hidden_{1.f, 0};
};

}  // namespace

std::unique_ptr<Op> MakeUnidirectionalSequenceLstmS8() {
  return std::make_unique<UnidirectionalSequenceLstmS8>();
}

}  // namespace pyrt

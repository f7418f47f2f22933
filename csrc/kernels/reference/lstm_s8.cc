#include "kernels/reference/lstm_s8.h"

#include <algorithm>
#include <cstring>

#include "quant/fixed_point.h"
#include "quant/gemmlowp_fixedpoint16.h"

namespace pyrt {
namespace {

int16_t Saturate16(int32_t v) { return static_cast<int16_t>(std::min(32767, std::max(-32768, v))); }

// gate[b, r] = sat16(gate[b, r] + MBQM(bias[r] + sum_c w[r, c] * v[b, c])).
void MatVecAccumulate(const int8_t* v, const int32_t* bias, const int8_t* w, QuantizedMultiplier q,
                      int n_batch, int cols, int rows, int16_t* gate) {
  for (int b = 0; b < n_batch; ++b) {
    const int8_t* vb = v + static_cast<int64_t>(b) * cols;
    for (int r = 0; r < rows; ++r) {
      const int8_t* wr = w + static_cast<int64_t>(r) * cols;
      int32_t acc = bias[r];
      for (int c = 0; c < cols; ++c) acc += int32_t{vb[c]} * wr[c];
      acc = MultiplyByQuantizedMultiplier(acc, q.multiplier, q.shift);
      int16_t& g = gate[static_cast<int64_t>(b) * rows + r];
      g = Saturate16(acc + g);
    }
  }
}

void Gate(const LstmS8Params& p, int g, const int8_t* x, const int8_t* h, const int16_t* c,
          bool sigmoid, int16_t* gate) {
  const int n = p.n_batch * p.n_cell;
  std::fill_n(gate, n, int16_t{0});
  MatVecAccumulate(x, p.input_bias[g], p.input_weights[g], p.input_scale[g], p.n_batch, p.n_input,
                   p.n_cell, gate);
  MatVecAccumulate(h, p.recurrent_bias[g], p.recurrent_weights[g], p.recurrent_scale[g], p.n_batch,
                   p.n_output, p.n_cell, gate);
  if (p.peephole[g]) {
    for (int b = 0; b < p.n_batch; ++b)
      for (int v = 0; v < p.n_cell; ++v) {
        const int i = b * p.n_cell + v;
        const int32_t prod = MultiplyByQuantizedMultiplier(int32_t{p.peephole[g][v]} * c[i],
                                                           p.peephole_scale[g].multiplier,
                                                           p.peephole_scale[g].shift);
        gate[i] = Saturate16(prod + gate[i]);
      }
  }
  for (int i = 0; i < n; ++i) gate[i] = sigmoid ? fp16::Logistic(gate[i], 3) : fp16::Tanh(gate[i], 3);
}

}  // namespace

void LstmStepS8(const LstmS8Params& p, const int8_t* x, int8_t* h, int16_t* c, int8_t* out,
                uint8_t* scratch) {
  const int n = p.n_batch * p.n_cell;
  int16_t* ig = reinterpret_cast<int16_t*>(scratch);
  int16_t* fg = ig + n;
  int16_t* cg = ig + 2 * n;
  int16_t* og = ig + 3 * n;
  int16_t* tanh_c = ig + 4 * n;
  int8_t* hidden = reinterpret_cast<int8_t*>(ig + 5 * n);
  const bool cifg = p.input_weights[0] == nullptr;
  if (!cifg) Gate(p, 0, x, h, c, true, ig);
  Gate(p, 1, x, h, c, true, fg);
  Gate(p, 2, x, h, c, false, cg);
  // Cell update (UpdateLstmCellInteger); fg doubles as scratch as in TFLite.
  for (int i = 0; i < n; ++i)
    c[i] = static_cast<int16_t>(RoundingDivideByPOT(int32_t{fg[i]} * c[i], 15));
  const int shift = 30 + p.cell_scale;
  for (int i = 0; i < n; ++i) {
    const int16_t gate_in = cifg ? static_cast<int16_t>(32767 - fg[i]) : ig[i];
    const int16_t add = static_cast<int16_t>(RoundingDivideByPOT(int32_t{gate_in} * cg[i], shift));
    c[i] = Saturate16(int32_t{c[i]} + add);
  }
  if (p.cell_clip > 0)
    for (int i = 0; i < n; ++i)
      c[i] = std::min<int16_t>(p.cell_clip, std::max<int16_t>(static_cast<int16_t>(-p.cell_clip), c[i]));
  Gate(p, 3, x, h, c, true, og);  // the output gate's peephole sees the new cell state
  // Output (CalculateLstmOutputInteger8x8_16), no projection.
  for (int i = 0; i < n; ++i) tanh_c[i] = fp16::Tanh(c[i], 15 + p.cell_scale);
  for (int i = 0; i < n; ++i) {
    int32_t v = MultiplyByQuantizedMultiplier(int32_t{og[i]} * tanh_c[i], p.hidden_scale.multiplier,
                                              p.hidden_scale.shift);
    v += p.hidden_zp;
    hidden[i] = static_cast<int8_t>(std::min(127, std::max(-128, v)));
  }
  std::memcpy(h, hidden, static_cast<size_t>(p.n_batch) * p.n_output);
  std::memcpy(out, h, static_cast<size_t>(p.n_batch) * p.n_output);
}

}  // namespace pyrt

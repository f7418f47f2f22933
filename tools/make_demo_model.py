#!/usr/bin/env python3
"""Train the bundled demo model: a small int8 CNN on scikit-learn's digits.

Writes
  pyruntime/data/digits_int8.tflite  full-integer int8 model, int8 input/output,
                                     input (1, 8, 8, 1), output (1, 10) softmax
  pyruntime/data/digits_test.npz     held-out split: x float32 (N, 8, 8, 1) in
                                     the training scale (pixel / 16, so 0..1),
                                     y int64 (N,)

To run the model on ``x``: quantize with the input tensor's scale/zero point,
q = clip(round(x / scale) + zero_point, -128, 127).astype(int8).

Usage (needs tensorflow, scikit-learn, ai-edge-litert):
    python tools/make_demo_model.py [--out-dir pyruntime/data]
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import io
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")

import numpy as np  # noqa: E402

REPO_ROOT = Path(__file__).resolve().parent.parent
SEED = 0
ALLOWED_OPS = {
    "CONV_2D", "DEPTHWISE_CONV_2D", "FULLY_CONNECTED", "ADD", "MUL", "MEAN", "PAD",
    "MAX_POOL_2D", "AVERAGE_POOL_2D", "RESHAPE", "SOFTMAX", "QUANTIZE", "DEQUANTIZE",
}


def load_data():
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    d = load_digits()
    x = (d.images.astype(np.float32) / 16.0)[..., None]  # (1797, 8, 8, 1) in [0, 1]
    y = d.target.astype(np.int64)
    return train_test_split(x, y, test_size=0.2, random_state=SEED, stratify=y)


def build(keras, batch_size=None):
    L = keras.layers
    inp = keras.Input(shape=(8, 8, 1), batch_size=batch_size, name="image")
    x = L.Conv2D(16, 3, padding="same", activation="relu", name="conv1")(inp)          # 8x8x16
    r = L.DepthwiseConv2D(3, padding="same", activation="relu", name="dw2")(x)         # 8x8x16
    r = L.Conv2D(16, 1, name="pw2")(r)                                                  # 8x8x16
    x = L.ReLU(name="relu2")(L.Add(name="res2")([x, r]))                                # ADD (+relu)
    x = L.MaxPooling2D(2, name="maxpool")(x)                                            # 4x4x16
    x = L.Conv2D(32, 3, padding="same", activation="relu", name="conv3")(x)            # 4x4x32
    x = L.AveragePooling2D(2, name="avgpool")(x)                                        # 2x2x32
    x = L.Flatten(name="flatten")(x)                                                    # 128
    x = L.Dense(10, name="logits")(x)
    out = L.Softmax(name="probs")(x)
    return keras.Model(inp, out, name="digits_cnn")


def op_list(path: Path) -> list[str]:
    from ai_edge_litert import schema_py_generated as schema

    names = {v: k for k, v in vars(schema.BuiltinOperator).items() if not k.startswith("_")}
    model = schema.Model.GetRootAs(path.read_bytes(), 0)
    codes = []
    for i in range(model.OperatorCodesLength()):
        oc = model.OperatorCodes(i)
        codes.append(names[max(oc.BuiltinCode(), oc.DeprecatedBuiltinCode())])
    sg = model.Subgraphs(0)
    return [codes[sg.Operators(i).OpcodeIndex()] for i in range(sg.OperatorsLength())]


def int8_accuracy(path: Path, x: np.ndarray, y: np.ndarray) -> float:
    from ai_edge_litert.interpreter import Interpreter, OpResolverType

    it = Interpreter(model_path=str(path), experimental_op_resolver_type=OpResolverType.BUILTIN_REF)
    it.allocate_tensors()
    ind, outd = it.get_input_details()[0], it.get_output_details()[0]
    scale, zp = ind["quantization"]
    correct = 0
    for xi, yi in zip(x, y):
        q = np.clip(np.round(xi[None] / scale) + zp, -128, 127).astype(np.int8)
        it.set_tensor(ind["index"], q)
        it.invoke()
        correct += int(np.argmax(it.get_tensor(outd["index"])[0]) == yi)
    return correct / len(y)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out-dir", type=Path, default=REPO_ROOT / "pyruntime" / "data")
    ap.add_argument("--epochs", type=int, default=40)
    args = ap.parse_args()

    import tensorflow as tf
    import keras

    tf.get_logger().setLevel("ERROR")
    t0 = time.perf_counter()
    keras.utils.set_random_seed(SEED)
    x_train, x_test, y_train, y_test = load_data()
    print(f"data: train {x_train.shape}, test {x_test.shape}")

    model = build(keras)
    model.compile(optimizer=keras.optimizers.Adam(3e-3), loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    model.fit(x_train, y_train, epochs=args.epochs, batch_size=32, verbose=0, shuffle=True)
    _, float_acc = model.evaluate(x_test, y_test, verbose=0)
    print(f"float test accuracy: {float_acc:.4f} ({time.perf_counter() - t0:.1f}s)")

    # Fixed batch 1 copy for the converter (static shapes in the .tflite).
    infer = build(keras, batch_size=1)
    infer.set_weights(model.get_weights())

    rng = np.random.default_rng(SEED)
    calib = x_train[rng.choice(len(x_train), 200, replace=False)]

    def rep():
        for s in calib:
            yield [s[None].astype(np.float32)]

    conv = tf.lite.TFLiteConverter.from_keras_model(infer)
    conv.optimizations = [tf.lite.Optimize.DEFAULT]
    conv.representative_dataset = rep
    conv.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]
    conv.inference_input_type = tf.int8
    conv.inference_output_type = tf.int8
    with contextlib.redirect_stdout(io.StringIO()):
        data = conv.convert()

    args.out_dir.mkdir(parents=True, exist_ok=True)
    tfl = args.out_dir / "digits_int8.tflite"
    npz = args.out_dir / "digits_test.npz"
    tmp = tfl.with_suffix(".tmp")
    tmp.write_bytes(data)
    os.replace(tmp, tfl)
    tmpz = args.out_dir / "digits_test.tmp.npz"
    np.savez_compressed(tmpz, x=x_test.astype(np.float32), y=y_test.astype(np.int64))
    os.replace(tmpz, npz)

    ops = op_list(tfl)
    print("ops (execution order):", " ".join(ops))
    print("op counts:", dict(collections.Counter(ops)))
    bad = sorted(set(ops) - ALLOWED_OPS)
    if bad:
        print(f"ERROR: ops outside the allowed list: {bad}", file=sys.stderr)
        return 1

    acc = int8_accuracy(tfl, x_test, y_test)
    print(f"int8 test accuracy (LiteRT BUILTIN_REF): {acc:.4f} on {len(y_test)} samples")
    print(f"wrote {tfl} ({tfl.stat().st_size} bytes), {npz} ({npz.stat().st_size} bytes); "
          f"total {time.perf_counter() - t0:.1f}s")
    if acc < 0.95:
        print("ERROR: int8 accuracy below 0.95", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

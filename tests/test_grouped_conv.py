"""CONV_2D with groups: Keras Conv2D(groups=C) as ConvNeXt uses it.

One input channel per group (filter depth 1) runs on the depthwise kernels;
other group sizes are rejected with a message naming the op. Also float
DEPTHWISE_CONV_2D with a depth multiplier (the input's channels repeated for
the SIMD kernels; one input channel runs as a CONV_2D).
"""

from pathlib import Path

import numpy as np
import pytest

import model_kinds
import model_zoo
import op_models
import pyruntime
from bitexact import assert_bit_exact
from model_zoo import args_key, cached_build


@op_models.op_model
def grouped_conv_model(keras, in_shape=(9, 7, 6), filters=6, groups=6, kernel=3, strides=1,
                       padding="same", batch_size=1):
    x = keras.Input(batch_shape=(batch_size,) + tuple(in_shape), name="in0")
    y = keras.layers.Conv2D(filters, kernel, strides=strides, padding=padding, groups=groups,
                            bias_initializer=keras.initializers.RandomNormal(stddev=0.3))(x)
    return [x], [y]


def grouped_conv_float(filters: int, groups: int, strides: int) -> Path:
    path = model_kinds.CACHE_DIR / f"grouped_conv_{args_key(filters, groups, strides)}.tflite"

    def build() -> bytes:
        _, keras = model_zoo._tf()
        keras.utils.set_random_seed(0)
        x = keras.Input(batch_shape=(2, 9, 7, 6))
        y = keras.layers.Conv2D(filters, 3, strides=strides, padding="same", groups=groups,
                                bias_initializer="random_normal")(x)
        return model_kinds.convert_float(keras.Model(x, y), "float32")

    return cached_build(path, build)


CHANNELWISE = [  # (filters, strides, padding, batch)
    (6, 1, "same", 1),
    (12, 2, "valid", 2),  # two filters per group: depth multiplier 2
]


@pytest.mark.parametrize("filters,strides,padding,batch", CHANNELWISE)
def test_channelwise_groups_int8_bit_exact(filters, strides, padding, batch):
    path = grouped_conv_model(filters=filters, groups=6, strides=strides, padding=padding, batch=batch)
    assert "CONV_2D" in model_zoo.distinct_ops(path)
    for threads in (1, 2):
        assert_bit_exact(path, seeds=(0, 1), num_threads=threads)


@pytest.mark.parametrize("filters,strides", [(6, 1), (12, 2)])
def test_channelwise_groups_float32_close_to_litert(filters, strides):
    path = grouped_conv_float(filters, 6, strides)
    sets = [model_kinds.random_float_inputs(path, s) for s in (0, 1)]
    oracle = model_kinds.float_oracle(path, sets)
    interp = pyruntime.Interpreter(str(path))
    oracle.check([interp.run(inputs) for inputs in sets], path.name)


def test_other_group_sizes_are_rejected_with_the_op_named():
    path = grouped_conv_model(filters=6, groups=3)
    with pytest.raises(pyruntime.ModelError, match=r"op \d+ \(CONV_2D\): filter depth 2 differs from input depth 6"):
        pyruntime.Interpreter(path)


def depthwise_multiplier_float(in_shape, multiplier: int, strides: int) -> Path:
    path = model_kinds.CACHE_DIR / f"dw_multiplier_{args_key(in_shape, multiplier, strides)}.tflite"

    def build() -> bytes:
        _, keras = model_zoo._tf()
        keras.utils.set_random_seed(0)
        x = keras.Input(batch_shape=(1,) + tuple(in_shape))
        y = keras.layers.DepthwiseConv2D(3, strides=strides, padding="same",
                                         depth_multiplier=multiplier,
                                         bias_initializer="random_normal")(x)
        return model_kinds.convert_float(keras.Model(x, y), "float32")

    return cached_build(path, build)


@pytest.mark.parametrize("isa", pyruntime.cpu_paths())
@pytest.mark.parametrize("in_shape,multiplier,strides", [((12, 10, 1), 8, 1), ((9, 7, 5), 2, 2)])
def test_depth_multiplier_float32_close_to_litert(monkeypatch, isa, in_shape, multiplier, strides):
    monkeypatch.setenv("PYRUNTIME_ISA", isa)
    path = depthwise_multiplier_float(in_shape, multiplier, strides)
    assert "DEPTHWISE_CONV_2D" in model_zoo.distinct_ops(path)
    sets = [model_kinds.random_float_inputs(path, s) for s in (0, 1, 2)]
    oracle = model_kinds.float_oracle(path, sets)
    interp = pyruntime.Interpreter(str(path), num_threads=2)
    oracle.check([interp.run(inputs) for inputs in sets], path.name)

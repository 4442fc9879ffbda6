#!/usr/bin/python3
"""Builds the tiny ONNX models the agent's inference tests serve. Run: /usr/bin/python3 tests/Shared/Models/make_test_models.py

    all-types.onnx      one Identity per tensor type ONNX Runtime's CPU provider serves: x_<type> [n] -> y_<type> [n]
    unknown-dims.onnx   outputs ONNX Runtime must allocate itself: a dimension with no name, one named after no input,
                        and one named after an input but twice its size (a wrong guess the server must recover from)
    constant.onnx       no inputs at all: one constant output
    sequence.onnx       a tensor output and a sequence output (not a tensor: cannot be written as v2 JSON)
    volume.onnx         Identity on FP32 [a, b, c]: three free dimensions, for nested data and element-count overflow

Deterministic: no randomness, so rerunning writes byte-identical files. Needs only onnx (Debian: python3-onnx).
"""

import os

import onnx
from onnx import TensorProto, helper

HERE = os.path.dirname(os.path.abspath(__file__))
OPSET = 13

TYPES = {
    "fp32": TensorProto.FLOAT, "fp64": TensorProto.DOUBLE, "fp16": TensorProto.FLOAT16, "bf16": TensorProto.BFLOAT16,
    "int8": TensorProto.INT8, "int16": TensorProto.INT16, "int32": TensorProto.INT32, "int64": TensorProto.INT64,
    "uint8": TensorProto.UINT8, "uint16": TensorProto.UINT16, "uint32": TensorProto.UINT32, "uint64": TensorProto.UINT64,
    "bool": TensorProto.BOOL, "bytes": TensorProto.STRING,
}


def save(graph, filename):
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)], producer_name="edgeportal-tests")
    model.ir_version = 7
    onnx.checker.check_model(model, full_check=True)
    path = os.path.join(HERE, filename)
    with open(path, "wb") as fh:
        fh.write(model.SerializeToString())
    print(f"wrote {filename} ({os.path.getsize(path)} bytes)")


def all_types():
    nodes = [helper.make_node("Identity", [f"x_{t}"], [f"y_{t}"], name=t) for t in TYPES]
    inputs = [helper.make_tensor_value_info(f"x_{t}", e, ["n"]) for t, e in TYPES.items()]
    outputs = [helper.make_tensor_value_info(f"y_{t}", e, ["n"]) for t, e in TYPES.items()]
    save(helper.make_graph(nodes, "all_types", inputs, outputs), "all-types.onnx")


def unknown_dims():
    nodes = [
        helper.make_node("Identity", ["x"], ["anonymous"], name="anonymous"),
        helper.make_node("Cast", ["x"], ["x_i8"], to=TensorProto.INT8, name="x_i8"),
        helper.make_node("Identity", ["x_i8"], ["renamed"], name="renamed"),
        helper.make_node("Concat", ["x", "x"], ["doubled"], axis=0, name="doubled"),
    ]
    anonymous = helper.make_tensor_value_info("anonymous", TensorProto.FLOAT, [None])
    save(
        helper.make_graph(
            nodes,
            "unknown_dims",
            [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["n"])],
            [
                anonymous,
                helper.make_tensor_value_info("renamed", TensorProto.INT8, ["m"]),
                # Named like the input but really 2n: preallocating [n] fails, the server must retry without it.
                helper.make_tensor_value_info("doubled", TensorProto.FLOAT, ["n"]),
            ],
        ),
        "unknown-dims.onnx",
    )


def constant():
    value = helper.make_tensor("value", TensorProto.FLOAT, [3], [1.5, -2.0, 42.0])
    save(
        helper.make_graph(
            [helper.make_node("Constant", [], ["answer"], value=value, name="answer")],
            "constant",
            [],
            [helper.make_tensor_value_info("answer", TensorProto.FLOAT, [3])],
        ),
        "constant.onnx",
    )


def sequence():
    nodes = [
        helper.make_node("Identity", ["x"], ["y"], name="y"),
        helper.make_node("SequenceConstruct", ["x", "x"], ["pair"], name="pair"),
    ]
    pair = helper.make_tensor_sequence_value_info("pair", TensorProto.FLOAT, ["n"])
    save(
        helper.make_graph(
            nodes,
            "sequence",
            [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["n"])],
            [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["n"]), pair],
        ),
        "sequence.onnx",
    )


def volume():
    save(
        helper.make_graph(
            [helper.make_node("Identity", ["x"], ["y"], name="y")],
            "volume",
            [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["a", "b", "c"])],
            [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["a", "b", "c"])],
        ),
        "volume.onnx",
    )


if __name__ == "__main__":
    all_types()
    unknown_dims()
    constant()
    sequence()
    volume()

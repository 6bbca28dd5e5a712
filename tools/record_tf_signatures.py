#!/usr/bin/env python
"""Record the parameters of TensorFlow's public ``tf.compat.v1`` callables that varscope mirrors.

Usage (with the TensorFlow interpreter): ``.venv-tf/bin/python tools/record_tf_signatures.py``
writes ``tests/fixtures/tf_signatures.json``: for each name, the list of ``[parameter name, kind, default
repr or null]`` of ``inspect.signature`` (for classes, of ``__init__`` without ``self``); ``compat_ops`` holds the
ops of ``varscope.compat.v1`` by dotted path.
"""

from __future__ import annotations

import inspect
import json
import os
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "tests" / "fixtures" / "tf_signatures.json"

# The callables of the api-surface spec (scoping, graphs, initializers, partitioners, dtypes).
NAMES = """
variable_scope variable_op_scope VariableScope get_variable_scope name_scope get_variable
get_local_variable make_template Variable get_default_graph reset_default_graph get_collection
get_collection_ref add_to_collection add_to_collections global_variables trainable_variables
local_variables model_variables set_random_seed zeros_initializer ones_initializer constant_initializer
random_normal_initializer truncated_normal_initializer random_uniform_initializer uniform_unit_scaling_initializer
variance_scaling_initializer glorot_uniform_initializer glorot_normal_initializer orthogonal_initializer
no_regularizer fixed_size_partitioner variable_axis_size_partitioner min_max_variable_partitioner
create_partitioned_variables as_dtype enable_eager_execution disable_eager_execution executing_eagerly
""".split()
# The ops of varscope.compat.v1 (dotted paths in tf.compat.v1; "v2:" for names TF exports only in TF 2, such as
# tf.nn.gelu). Each op family adds its names here.
COMPAT_OPS = """
nn.relu nn.relu6 nn.elu nn.selu nn.leaky_relu v2:nn.gelu nn.sigmoid nn.tanh nn.softplus sigmoid tanh
nn.softmax nn.log_softmax nn.bias_add nn.moments nn.l2_normalize nn.dropout
nn.conv1d nn.conv2d nn.conv2d_transpose nn.depthwise_conv2d nn.separable_conv2d nn.max_pool nn.avg_pool
nn.sigmoid_cross_entropy_with_logits nn.softmax_cross_entropy_with_logits nn.softmax_cross_entropy_with_logits_v2
nn.sparse_softmax_cross_entropy_with_logits nn.embedding_lookup
random_normal random_uniform truncated_normal multinomial random_shuffle random.normal random.uniform
random.truncated_normal random.categorical random.multinomial random.shuffle random.set_random_seed
""".split()
GRAPH_METHODS = "unique_name get_name_scope get_collection get_collection_ref add_to_collection add_to_collections " \
                "get_all_collection_keys clear_collection name_scope as_default".split()


def _default(p: inspect.Parameter) -> object:
    if p.default is inspect.Parameter.empty:
        return None
    d = p.default
    if isinstance(d, (bool, int, float, str)) or d is None:
        return ["value", d]
    return ["repr", getattr(d, "name", None) or type(d).__name__]


def params(obj: object, skip_self: bool) -> list[list[object]]:
    target = obj.__init__ if inspect.isclass(obj) else obj  # type: ignore[misc]
    out = []
    for i, p in enumerate(inspect.signature(target).parameters.values()):
        if skip_self and i == 0 and p.name == "self":
            continue
        out.append([p.name, p.kind.name, _default(p)])
    return out


def main() -> None:
    import tensorflow as tf

    tf1 = tf.compat.v1
    data: dict[str, object] = {"tensorflow": tf.__version__, "functions": {}, "graph_methods": {}}
    for name in NAMES:
        data["functions"][name] = params(getattr(tf1, name), skip_self=True)  # type: ignore[index]
    data["compat_ops"] = {}
    for path in COMPAT_OPS:
        obj = tf if path.startswith("v2:") else tf1
        for part in path.removeprefix("v2:").split("."):
            obj = getattr(obj, part)
        data["compat_ops"][path] = params(obj, skip_self=True)  # type: ignore[index]
    for name in GRAPH_METHODS:
        data["graph_methods"][name] = params(getattr(tf1.Graph, name), skip_self=True)  # type: ignore[index]
    OUT.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()

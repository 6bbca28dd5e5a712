"""install_as_tensorflow(): the TF 1.x module paths import; uninstall restores sys.modules and shapes."""

from __future__ import annotations

import sys

import pytest

import varscope
from varscope import _shape
from varscope.compat import install_as_tensorflow, v1


def test_paths_import_and_uninstall_restores():
    assert "tensorflow" not in sys.modules
    with install_as_tensorflow():
        import tensorflow as tf
        import tensorflow.compat.v1 as tf_v1
        import tf_slim as slim
        from tensorflow.contrib import layers
        from tensorflow.contrib.framework import add_arg_scope, arg_scope
        from tensorflow.contrib.framework.python.ops import arg_scope as arg_scope_2
        from tensorflow.contrib.training import HParams
        from tensorflow.python.framework import ops
        from tensorflow.python.ops import array_ops, init_ops, math_ops, variable_scope

        assert tf.compat.v1 is tf_v1 and tf.get_variable is varscope.get_variable
        assert slim.arg_scope is arg_scope is arg_scope_2 and add_arg_scope is slim.add_arg_scope
        assert ops.Tensor is v1.Tensor and ops.get_default_graph is varscope.get_default_graph
        assert math_ops.matmul is v1.matmul and array_ops.reshape is v1.reshape
        assert variable_scope.variable_scope is varscope.variable_scope
        assert init_ops.zeros_initializer is varscope.zeros_initializer
        assert layers.l2_regularizer is varscope.regularizers.l2_regularizer
        assert HParams(n_ctx=4).n_ctx == 4
        assert not _shape.v2_tensorshape_enabled()
    assert not [m for m in sys.modules if m == "tensorflow" or m.startswith("tensorflow.") or m == "tf_slim"]
    assert _shape.v2_tensorshape_enabled()


def test_uninstall_restores_a_previous_module():
    sentinel = type(sys)("tensorflow")
    sys.modules["tensorflow"] = sentinel
    try:
        inst = install_as_tensorflow()
        assert sys.modules["tensorflow"] is not sentinel
        inst.uninstall()
        inst.uninstall()  # twice is harmless
        assert sys.modules["tensorflow"] is sentinel
    finally:
        sys.modules.pop("tensorflow", None)


def test_missing_names_raise_attribute_error():
    with install_as_tensorflow():
        import tensorflow as tf

        with pytest.raises(AttributeError):
            tf.no_such_op  # noqa: B018


def test_shapes_of_variables_are_dimensions_under_compat():
    with varscope.Graph().as_default():
        w = varscope.get_variable("w", [3, 2])
        assert w.shape[0] == 3 and type(w.shape[0]) is int  # TF 2 compat.v1 behaviour by default
        with install_as_tensorflow():
            assert w.shape[-1].value == 2 and repr(w.shape[0]) == "Dimension(3)"
            assert [d.value for d in w.shape] == [3, 2] and w.shape.ndims == 2
        assert type(w.shape[0]) is int


def test_install_makes_ref_variables_and_uninstall_restores():
    with install_as_tensorflow():
        import tensorflow as tf

        with tf.Graph().as_default():
            v = tf.get_variable("v", [2])
            r = tf.get_variable("r", [2], use_resource=True)
        assert (v.op.type, v.dtype.name, tf.convert_to_tensor(v).name) == ("VariableV2", "float32_ref", "v/read:0")
        assert r.op.type == "VarHandleOp" and not tf.resource_variables_enabled()
    assert varscope.resource_variables_enabled()
    with varscope.Graph().as_default():
        assert varscope.get_variable("v", [2]).op.type == "VarHandleOp"


def test_disable_and_enable_v2_behavior():
    v1.disable_v2_behavior()
    assert not _shape.v2_tensorshape_enabled() and not varscope.resource_variables_enabled()
    v1.enable_v2_behavior()
    assert _shape.v2_tensorshape_enabled() and varscope.resource_variables_enabled()


def test_importing_varscope_compat_switches_shapes_to_dimensions():
    import subprocess
    import sys
    from pathlib import Path

    code = ("import varscope as tf1\n"
            "with tf1.Graph().as_default():\n"
            "    w = tf1.get_variable('w', [3])\n"
            "assert type(w.shape[0]) is int\n"
            "import varscope.compat\n"
            "assert w.shape[0].value == 3 and repr(w.shape[0]) == 'Dimension(3)'\n")
    src = Path(__file__).resolve().parents[2] / "src"
    subprocess.run([sys.executable, "-c", code], check=True, env={"PYTHONPATH": str(src)})


def test_tf_train_is_varscope_train():
    """``tf.train`` / ``tf.compat.v1.train`` (optimizers, global step, Saver) is varscope.train."""
    from varscope import train

    with install_as_tensorflow():
        import tensorflow as tf
        import tensorflow.compat.v1 as tf_v1

        assert tf.train is train and tf_v1.train is train
        with tf.Graph().as_default():
            step = tf.train.get_or_create_global_step()
            w = tf.get_variable("w", [2], initializer=tf.zeros_initializer())
            tf.train.AdamOptimizer(0.1).apply_gradients([(tf.ones([2]), w)], global_step=step)
            assert [v.op.name for v in tf.global_variables()] == ["global_step", "w", "beta1_power", "beta2_power",
                                                                   "w/Adam", "w/Adam_1"]
            assert int(step.numpy()) == 1

"""The PyTorch backend: dtypes, get_variable in a torch graph, assign, autograd training, checkpoints."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import ml_dtypes
import numpy as np
import pytest

torch = pytest.importorskip("torch")

import varscope as tf1  # noqa: E402
from varscope.backends import get_backend, torch_backend as tb  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]

DTYPES = [
    ("bool", np.bool_, torch.bool), ("int8", np.int8, torch.int8), ("int16", np.int16, torch.int16),
    ("int32", np.int32, torch.int32), ("int64", np.int64, torch.int64), ("uint8", np.uint8, torch.uint8),
    ("uint16", np.uint16, torch.uint16), ("uint32", np.uint32, torch.uint32), ("uint64", np.uint64, torch.uint64),
    ("float16", np.float16, torch.float16), ("bfloat16", ml_dtypes.bfloat16, torch.bfloat16),
    ("float32", np.float32, torch.float32), ("float64", np.float64, torch.float64),
    ("complex64", np.complex64, torch.complex64), ("complex128", np.complex128, torch.complex128),
    ("float8_e5m2", ml_dtypes.float8_e5m2, torch.float8_e5m2),
    ("float8_e4m3fn", ml_dtypes.float8_e4m3fn, torch.float8_e4m3fn),
]


def torch_graph() -> tf1.Graph:
    return tf1.Graph(backend="torch")


def _sample(np_type):
    if np_type is np.bool_:
        return np.array([[True, False, True]], np.bool_)
    if np.issubdtype(np.dtype(np_type), np.complexfloating):
        return np.array([[1 + 2j, -0.5j, 3]], np_type)
    if np.dtype(np_type).kind in "iu":
        return np.array([[0, 7, 100]], np_type)
    return np.array([[1.5, -2.0, 0.25]], np_type)


# -- dtypes ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("name,np_type,torch_type", DTYPES, ids=[d[0] for d in DTYPES])
def test_dtype_round_trip(name, np_type, torch_type):
    be = get_backend("torch")
    arr = _sample(np_type)
    t = be.asarray(arr, np.dtype(np_type))
    assert isinstance(t, torch.Tensor) and t.dtype == torch_type and t.device.type == "cpu"
    back = be.to_numpy(t)
    assert back.dtype == np.dtype(np_type)
    np.testing.assert_array_equal(back.astype(np.complex128), arr.astype(np.complex128))
    assert tb.to_torch_dtype(tf1.as_dtype(name)) == torch_type
    assert tb.to_numpy_dtype(torch_type) == np.dtype(np_type)
    assert tf1.as_dtype(torch_type).name == name  # the core accepts torch dtypes too


@pytest.mark.parametrize("name,np_type,torch_type", DTYPES, ids=[d[0] for d in DTYPES])
def test_variable_of_each_dtype(name, np_type, torch_type):
    arr = _sample(np_type)
    with torch_graph().as_default():
        v = tf1.get_variable("v", initializer=arr)
        assert v.dtype.name == name and v.value().dtype == torch_type
        np.testing.assert_array_equal(v.numpy().astype(np.complex128), arr.astype(np.complex128))
        v.assign(arr[:, ::-1].copy())  # a NumPy value stays a tensor of the variable's dtype
        assert isinstance(v.value(), torch.Tensor) and v.value().dtype == torch_type
        assert v.numpy().dtype == np.dtype(np_type)


def test_bfloat16_initializers_and_constants():
    with torch_graph().as_default():
        w = tf1.get_variable("w", [3, 4], dtype=tf1.bfloat16, initializer=tf1.ones_initializer())
        c = tf1.constant([1.0, 2.0], dtype=tf1.bfloat16)
        u = tf1.get_variable("u", initializer=c)
    assert w.value().dtype == torch.bfloat16 and w.numpy().dtype == ml_dtypes.bfloat16
    assert isinstance(c, torch.Tensor) and c.dtype == torch.bfloat16
    assert u.dtype == tf1.bfloat16 and u.numpy().tolist() == [1.0, 2.0]


def test_strings_are_rejected_clearly():
    be = get_backend("torch")
    with pytest.raises(TypeError, match="string"):
        be.asarray(np.array([b"a", b"b"], dtype=object))
    with pytest.raises(TypeError, match="string"):
        be.asarray(["a"], tf1.string.as_numpy_dtype)
    with pytest.raises(TypeError, match="PyTorch has no string tensors"):
        tb.to_torch_dtype(tf1.string)
    with torch_graph().as_default():
        with pytest.raises(TypeError, match="string"):
            tf1.get_variable("s", initializer=["a", "b"], dtype=tf1.string)


def test_to_numpy_detaches_and_copies():
    be = get_backend("torch")
    t = torch.ones(3, requires_grad=True) * 2
    arr = be.to_numpy(t)
    assert arr.tolist() == [2.0, 2.0, 2.0]
    leaf = torch.zeros(2)
    out = be.to_numpy(leaf)
    leaf += 1
    assert out.tolist() == [0.0, 0.0]
    assert be.to_numpy(torch.tensor([1 + 1j]).conj()).tolist() == [1 - 1j]


def test_numpy_input_is_copied():
    arr = np.zeros(3, np.float32)
    with torch_graph().as_default():
        v = tf1.get_variable("v", initializer=arr)
    v.value().add_(1)
    assert arr.tolist() == [0.0, 0.0, 0.0]


def test_device_setting():
    assert str(tb.get_device()) == "cpu"
    tb.set_device("cpu")
    assert tb.get_device() == torch.device("cpu")
    code = "from varscope.backends import torch_backend as tb; print(tb.get_device())"
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "VARSCOPE_TORCH_DEVICE": "cpu"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "cpu"


# -- get_variable -------------------------------------------------------------------------------------------
def test_get_variable_names_reuse_and_same_values_as_numpy():
    def build():
        tf1.set_random_seed(7)
        with tf1.variable_scope("model"):
            with tf1.variable_scope("dense"):
                w = tf1.get_variable("kernel", [4, 3])
                b = tf1.get_variable("bias", [3], initializer=tf1.zeros_initializer())
        with tf1.variable_scope("model", reuse=True):
            with tf1.variable_scope("dense"):
                w2 = tf1.get_variable("kernel", [4, 3])
        with tf1.variable_scope("auto", reuse=tf1.AUTO_REUSE):
            a1 = tf1.get_variable("a", [2], dtype=tf1.int32)
            a2 = tf1.get_variable("a", [2], dtype=tf1.int32)
        return w, b, w2, a1, a2

    with torch_graph().as_default() as g:
        w, b, w2, a1, a2 = build()
        with pytest.raises(ValueError, match="already exists"):
            with tf1.variable_scope("model"):
                tf1.get_variable("dense/kernel", [4, 3])
    with tf1.Graph().as_default():
        w_np = build()[0]
    assert w.name == "model/dense/kernel:0" and b.op.name == "model/dense/bias"
    assert w2 is w and a1 is a2 and a1.value().dtype == torch.int32
    assert isinstance(w.value(), torch.Tensor) and w.graph is g
    np.testing.assert_array_equal(w.numpy(), w_np.numpy())  # same name-keyed initial values
    assert [v.op.name for v in g.get_collection(tf1.GraphKeys.TRAINABLE_VARIABLES)] == [
        "model/dense/kernel", "model/dense/bias", "auto/a"]


def test_set_default_backend():
    from varscope.backends import default_backend_name, set_default_backend

    old = default_backend_name()
    set_default_backend("torch")
    try:
        with tf1.Graph().as_default():
            v = tf1.get_variable("v", [2])
        assert isinstance(v.value(), torch.Tensor)
    finally:
        set_default_backend(old)


def test_partitioned_variable_as_tensor():
    with torch_graph().as_default():
        emb = tf1.get_variable("emb", [10, 4], partitioner=tf1.fixed_size_partitioner(3))
    parts = list(emb)
    assert [p.op.name for p in parts] == ["emb/part_0", "emb/part_1", "emb/part_2"]
    assert all(isinstance(p.value(), torch.Tensor) for p in parts)
    full = emb.as_tensor()
    assert isinstance(full, torch.Tensor) and tuple(full.shape) == (10, 4)
    np.testing.assert_array_equal(full.numpy(), np.concatenate([p.numpy() for p in parts]))
    np.testing.assert_array_equal(emb.numpy(), full.numpy())
    # gradients reach every shard
    params = tb.parameters()
    assert len(params) == 0  # the default graph is not the torch graph
    g = parts[0].graph
    params = tb.parameters(g)
    emb.as_tensor().sum().backward()
    assert all(p.grad is not None and torch.all(p.grad == 1) for p in params)


def test_torch_functions_accept_variables():
    with torch_graph().as_default():
        w = tf1.get_variable("w", initializer=np.arange(6, dtype=np.float32).reshape(2, 3))
        b = tf1.get_variable("b", initializer=[1.0, -1.0, 0.5])
    x = torch.ones(4, 2)
    expected = x @ w.value()
    assert torch.equal(torch.matmul(x, w.value()), expected)
    assert torch.equal(torch.matmul(x, w), expected)
    assert torch.equal(x @ w, expected)
    assert torch.equal(x.matmul(w), expected)
    assert torch.equal(torch.nn.functional.linear(x, w.value().T, b), expected + b.value())
    assert torch.equal(torch.cat([b, b]), torch.cat([b.value(), b.value()]))
    assert torch.equal(torch.relu(b), torch.tensor([1.0, 0.0, 0.5]))
    assert torch.equal(x[:, :1] + w[0], x[:, :1] + w.value()[0])
    assert torch.equal(torch.clamp(b, min=0), torch.tensor([1.0, 0.0, 0.5]))
    assert isinstance(w * 2, torch.Tensor) and isinstance(2 * w, torch.Tensor)


# -- assign -------------------------------------------------------------------------------------------------
def test_assign_with_constraint_and_shape_check():
    with torch_graph().as_default():
        v = tf1.get_variable("v", initializer=[0.5, 0.5], constraint=lambda t: torch.clamp(t, 0.0, 1.0))
        n = tf1.get_variable("n", initializer=[0.5, 0.5], constraint=lambda t: np.clip(np.asarray(t), 0, 1))
    v.assign([-1.0, 2.0])
    assert isinstance(v.value(), torch.Tensor) and v.numpy().tolist() == [0.0, 1.0]
    v.assign(torch.tensor([0.25, 3.0], dtype=torch.float64))
    assert v.value().dtype == torch.float32 and v.numpy().tolist() == [0.25, 1.0]
    v.assign_add([0.5, 0.5])
    assert v.numpy().tolist() == [0.75, 1.0]
    v.assign_sub(torch.tensor([0.5, 0.5]))
    assert v.numpy().tolist() == [0.25, 0.5]
    n.assign(np.array([5.0, -5.0], np.float32))
    assert isinstance(n.value(), torch.Tensor) and n.numpy().tolist() == [1.0, 0.0]
    with pytest.raises(ValueError, match="Cannot assign value of shape"):
        v.assign(torch.zeros(3))


def test_assign_into_parameter_keeps_it_in_place():
    with torch_graph().as_default() as g:
        v = tf1.get_variable("v", initializer=[1.0, 2.0])
    (param,) = tb.parameters(g)
    opt = torch.optim.SGD([param], lr=0.1)
    v.assign(np.array([10.0, 20.0], np.float32))
    assert v.value() is param and param.requires_grad and param.grad_fn is None
    (v * v).sum().backward()
    opt.step()
    np.testing.assert_allclose(v.numpy(), [8.0, 16.0])


# -- training ---------------------------------------------------------------------------------------------
def _mlp(x):
    with tf1.variable_scope("mlp", reuse=tf1.AUTO_REUSE):
        with tf1.variable_scope("hidden"):
            w1 = tf1.get_variable("kernel", [x.shape[-1], 16])
            b1 = tf1.get_variable("bias", [16], initializer=tf1.zeros_initializer())
        with tf1.variable_scope("out"):
            w2 = tf1.get_variable("kernel", [16, 1], regularizer=tf1.regularizers.l2_regularizer(1e-3))
            b2 = tf1.get_variable("bias", [1], initializer=tf1.zeros_initializer())
        step = tf1.get_variable("step", [], dtype=tf1.int64, trainable=False,
                                initializer=tf1.zeros_initializer())
        step.assign_add(1)
        return torch.relu(x @ w1 + b1) @ w2 + b2


def _data():
    gen = torch.Generator().manual_seed(0)
    x = torch.randn(64, 3, generator=gen)
    y = (x[:, :1] * 2 - x[:, 1:2]).sin()
    return x, y


def test_training_loop_lowers_the_loss():
    x, y = _data()
    g = torch_graph()
    g.seed = 1
    with g.as_default():
        _mlp(x)
        params = tb.named_parameters(g)
        assert list(params) == ["mlp/hidden/kernel", "mlp/hidden/bias", "mlp/out/kernel", "mlp/out/bias"]
        opt = torch.optim.Adam(params.values(), lr=0.05)
        losses = []
        for _ in range(60):
            opt.zero_grad()
            loss = torch.mean((_mlp(x) - y) ** 2) + tb.regularization_loss()
            loss.backward()
            opt.step()
            losses.append(loss.item())
    assert losses[-1] < 0.3 * losses[0], losses[::10]
    step = g.get_collection(tf1.GraphKeys.GLOBAL_VARIABLES, "mlp/step")[0]
    assert int(step.numpy()) == 61 and not step.value().requires_grad
    w2 = g.get_collection(tf1.GraphKeys.TRAINABLE_VARIABLES, "mlp/out/kernel")[0]
    assert w2.value() is params["mlp/out/kernel"]
    np.testing.assert_array_equal(w2.numpy(), params["mlp/out/kernel"].detach().numpy())


def test_regularization_loss_is_differentiable():
    with torch_graph().as_default() as g:
        w = tf1.get_variable("w", initializer=[1.0, -2.0],
                             regularizer=tf1.regularizers.l1_l2_regularizer(0.5, 0.5))
        tf1.get_variable("z", initializer=[3.0], regularizer=tf1.regularizers.l2_regularizer(1.0))
    (pw, pz) = tb.parameters(g)
    total = tb.regularization_loss(graph=g)
    np.testing.assert_allclose(total.item(), 0.5 * 3 + 0.5 * 5 / 2 + 9 / 2)
    with g.as_default():  # the same value as the core's NumPy regularization losses
        np.testing.assert_allclose(total.item(), float(tf1.losses.get_regularization_loss()), rtol=1e-6)
    total.backward()
    np.testing.assert_allclose(pw.grad.numpy(), [0.5 + 0.5, -0.5 - 1.0])
    assert float(tb.regularization_loss(graph=torch_graph())) == 0.0


def test_varscope_module():
    x, y = _data()
    g = torch_graph()
    module = tb.VarscopeModule(g, _mlp)
    assert list(module.parameters()) == []
    module(x)  # creates the variables
    names = [n for n, _ in module.named_parameters()]
    assert names == ["mlp/hidden/kernel", "mlp/hidden/bias", "mlp/out/kernel", "mlp/out/bias"]
    assert [n for n, _ in module.named_buffers()] == ["mlp/step"]
    opt = torch.optim.SGD(module.parameters(), lr=0.1)
    first = None
    for _ in range(30):
        opt.zero_grad()
        loss = torch.mean((module(x) - y) ** 2)
        loss.backward()
        opt.step()
        first = loss.item() if first is None else first
    assert loss.item() < first
    state = module.state_dict()
    assert list(state) == [*names, "mlp/step"]
    assert not any(t.requires_grad for t in state.values())
    saved = {k: v.clone() for k, v in state.items()}
    with torch.no_grad():
        for p in module.parameters():
            p.zero_()
    params_before = list(module.parameters())
    module.load_state_dict(saved)
    assert all(a is b for a, b in zip(params_before, module.parameters()))
    assert torch.equal(module.state_dict()["mlp/hidden/kernel"], saved["mlp/hidden/kernel"])
    with pytest.raises(KeyError, match="missing keys"):
        module.load_state_dict({"mlp/hidden/kernel": saved["mlp/hidden/kernel"]})
    assert "mlp/hidden/kernel: (3, 16)" in repr(module)


# -- checkpoints --------------------------------------------------------------------------------------------
def test_saver_round_trip(tmp_path):
    with torch_graph().as_default() as g:
        w = tf1.get_variable("w", [3, 2])
        h = tf1.get_variable("h", [2], dtype=tf1.bfloat16)
        emb = tf1.get_variable("emb", [6, 2], partitioner=tf1.fixed_size_partitioner(2))
        step = tf1.get_variable("global_step", [], dtype=tf1.int64, trainable=False,
                                initializer=tf1.zeros_initializer())
        params = tb.parameters(g)
        opt = torch.optim.SGD(params, lr=0.1)
        (torch.sum(w) + torch.sum(emb.as_tensor())).backward()
        opt.step()
        step.assign(5)
        saved = {v.op.name: v.numpy().copy() for v in g.get_collection(tf1.GraphKeys.GLOBAL_VARIABLES)}
        saver = tf1.train.Saver()
        path = saver.save(None, str(tmp_path / "model.ckpt"), global_step=step)
        for v in g.get_collection(tf1.GraphKeys.GLOBAL_VARIABLES):
            v.assign(np.zeros(v.shape.as_list(), v.dtype.base_dtype.as_numpy_dtype))
        assert float(w.numpy().sum()) == 0.0
        saver.restore(None, path)
    for v in g.get_collection(tf1.GraphKeys.GLOBAL_VARIABLES):
        assert isinstance(v.value(), torch.Tensor)
        np.testing.assert_array_equal(v.numpy(), saved[v.op.name])
    assert h.value().dtype == torch.bfloat16 and step.value().dtype == torch.int64
    assert [p is v.value() for p, v in zip(params, g.get_collection(tf1.GraphKeys.TRAINABLE_VARIABLES))] == [
        True] * len(params)  # the optimizer keeps training the restored tensors
    reader = tf1.train.load_checkpoint(path)
    np.testing.assert_array_equal(reader.get_tensor("emb"), emb.numpy())
    # a NumPy graph restores what a torch graph saved
    with tf1.Graph().as_default():
        w_np = tf1.get_variable("w", [3, 2], initializer=tf1.zeros_initializer())
        tf1.train.Saver([w_np]).restore(None, path)
    np.testing.assert_array_equal(w_np.numpy(), saved["w"])


# -- import hygiene -----------------------------------------------------------------------------------------
def test_import_varscope_does_not_import_torch():
    code = ("import varscope, sys\n"
            "import varscope as tf1\n"
            "with tf1.Graph().as_default():\n"
            "    tf1.get_variable('v', [2])\n"
            "assert 'torch' not in sys.modules, 'torch imported'\n")
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    subprocess.run([sys.executable, "-c", code], env=env, check=True)


def test_train_updates_say_they_need_numpy_or_jax() -> None:
    from varscope import train
    from varscope.train import moving_averages

    with tf1.Graph(backend="torch").as_default():
        w = tf1.get_variable("w", initializer=np.ones(2, np.float32))
        with pytest.raises(NotImplementedError, match="variable w holds torch values: train a PyTorch graph's"):
            train.AdamOptimizer().apply_gradients([(np.ones(2, np.float32), w)])
        with pytest.raises(NotImplementedError, match="ExponentialMovingAverage.apply computes on NumPy or JAX"):
            train.ExponentialMovingAverage(0.9).apply([w])
        with pytest.raises(NotImplementedError, match="assign_moving_average"):
            moving_averages.assign_moving_average(w, np.ones(2, np.float32), 0.9)
        assert [v.op.name for v in tf1.global_variables()] == ["w"]

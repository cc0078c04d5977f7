"""Recorder.record_params: a JAX pytree of dense layers (Flax, Haiku, NNX), trained with real JAX."""

import jax
import jax.numpy as jnp
import numpy as np
import pytest

import netviz
from netviz import Recorder
from netviz.chain import UnsupportedLayer, dense_params

X = np.random.default_rng(0).uniform(-1, 1, size=(32, 2))
Y = (X[:, :1] * X[:, 1:] > 0).astype(float)


def init(key, sizes):
    """Flax-shaped parameters: {"params": {"Dense_i": {"kernel" (n_in, n_out), "bias" (n_out,)}}}."""
    keys = jax.random.split(key, len(sizes) - 1)
    return {"params": {f"Dense_{i}": {"kernel": jax.random.normal(k, (a, b)) * 0.5, "bias": jnp.zeros(b)}
                       for i, (k, a, b) in enumerate(zip(keys, sizes, sizes[1:]))}}  # fmt: skip


def forward(params, x):
    layers = params["params"]
    h = jnp.tanh(x @ layers["Dense_0"]["kernel"] + layers["Dense_0"]["bias"])
    return jax.nn.sigmoid(h @ layers["Dense_1"]["kernel"] + layers["Dense_1"]["bias"])


def test_a_jax_training_loop_records_every_step_exactly(tmp_path):
    params = init(jax.random.PRNGKey(0), [2, 8, 1])
    loss_fn = jax.jit(lambda p: jnp.mean((forward(p, X) - Y) ** 2))
    grad_fn = jax.jit(jax.value_and_grad(loss_fn))
    kept = []
    with Recorder(tmp_path / "jax.netviz", layers=[2, 8, 1], activations=["tanh", "sigmoid"]) as rec:
        for _ in range(20):
            loss, grads = grad_fn(params)
            rec.record_params(params, loss=loss)
            kept.append(jax.tree.map(np.asarray, params))
            params = jax.tree.map(lambda p, g: p - 0.5 * g, params, grads)
    run = netviz.load(tmp_path / "jax.netviz")
    assert run.epochs == 19 and run.layers == (2, 8, 1)
    for epoch in (0, 7, 19):
        layers = kept[epoch]["params"]
        assert np.array_equal(run.weights(epoch)[0], layers["Dense_0"]["kernel"])
        assert np.array_equal(run.biases(epoch)[1], layers["Dense_1"]["bias"])
    assert run.loss[-1] < run.loss[0]


def test_layers_come_in_natural_name_order_whatever_order_the_tree_holds():
    sizes = list(range(2, 14))  # 11 layers: Dense_10 sorts before Dense_2 as text
    tree = init(jax.random.PRNGKey(1), sizes)
    shuffled = {"params": dict(sorted(tree["params"].items()))}
    weights, biases, notes = dense_params(shuffled)
    assert [w.shape for w in weights] == list(zip(sizes, sizes[1:]))
    assert len(biases) == 11 and notes == []


def test_haiku_names_and_a_list_of_layers():
    w1, w2 = np.ones((3, 4)), np.ones((4, 2))
    weights, biases, _ = dense_params({"mlp/~/linear_1": {"w": w2}, "mlp/~/linear_0": {"w": w1}})
    assert [w.shape for w in weights] == [(3, 4), (4, 2)] and biases is None
    weights, _, _ = dense_params([{"kernel": w1}, {"kernel": w2}])
    assert [w.shape for w in weights] == [(3, 4), (4, 2)]


def test_a_layer_left_out_is_noted_in_the_session(tmp_path):
    tree = {
        "Dense_0": {"kernel": np.ones((2, 3))},
        "LayerNorm_0": {"scale": np.ones(3)},
        "Dense_1": {"kernel": np.ones((3, 1))},
    }
    with Recorder(tmp_path / "n.netviz", layers=[2, 3, 1]) as rec:
        rec.record_params(tree, loss=1.0, skip_unsupported=True)
        rec.record_params(tree, loss=0.5, skip_unsupported=True)
    assert netviz.load(tmp_path / "n.netviz").notes == ["layer 'LayerNorm_0' (parameters scale) was left out"]


def test_a_layer_netviz_cannot_draw_is_named_or_left_out():
    tree = {"params": {"Conv_0": {"kernel": np.ones((3, 3, 1, 4))}, "Dense_0": {"kernel": np.ones((4, 2))},
                       "BatchNorm_0": {"scale": np.ones(2), "bias": np.zeros(2)}}}  # fmt: skip
    with pytest.raises(UnsupportedLayer, match=r"^layer 'params/Conv_0' \(a 4-D kernel\) cannot be drawn"):
        dense_params(tree)
    weights, _, notes = dense_params(tree, skip_unsupported=True)
    assert [w.shape for w in weights] == [(4, 2)]
    assert notes == ["layer 'params/Conv_0' (a 4-D kernel) was left out",
                     "layer 'params/BatchNorm_0' (parameters bias, scale) was left out"]  # fmt: skip


def test_the_readme_example_runs_and_learns(tmp_path, monkeypatch):
    from tests.readme_blocks import readme_block

    monkeypatch.chdir(tmp_path)
    exec(readme_block("jax-example"), {})
    run = netviz.load("circle-jax.netviz")
    assert run.epochs == 299 and run.loss[-1] < 0.5 * run.loss[0]

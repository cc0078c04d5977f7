"""netviz import: safetensors checkpoint series as sessions, PyTorch's (out, in) or (n_in, n_out), and its errors."""

import re

import numpy as np
import pytest
from safetensors.numpy import save_file

import netviz
from netviz.cli import main
from netviz.importer import CheckpointError, import_checkpoints

RNG = np.random.default_rng(0)
STEPS = [2, 10, 1, 30]  # written out of order: step_10 must come after step_2


def torch_series(folder, bias=True):
    """State dicts as PyTorch saves an nn.Sequential(Linear(3, 5), Tanh, Linear(5, 2)): weight (out, in)."""
    folder.mkdir()
    kept = {}
    for step in STEPS:
        tensors = {"0.weight": RNG.normal(size=(5, 3)), "2.weight": RNG.normal(size=(2, 5))}
        if bias:
            tensors |= {"0.bias": RNG.normal(size=5), "2.bias": RNG.normal(size=2)}
        kept[step] = tensors
        save_file({k: v.astype("float32") for k, v in tensors.items()}, str(folder / f"step_{step}.safetensors"),
                  metadata={"loss": str(1 / step)})  # fmt: skip
    return {s: {k: v.astype("float32").astype(float) for k, v in t.items()} for s, t in kept.items()}


def test_a_pytorch_series_imports_transposed_in_natural_order(tmp_path, capsys):
    kept = torch_series(tmp_path / "ckpt")
    assert main(["import", str(tmp_path / "ckpt"), "--out", str(tmp_path / "run.netviz"), "--activation", "tanh"]) == 0
    assert "4 epochs of 3-5-2, weights read (out, in)" in capsys.readouterr().out
    run = netviz.load(tmp_path / "run.netviz")
    assert (run.layers, run.activations, run.epochs) == ((3, 5, 2), ("tanh", "tanh"), 3)
    for epoch, step in enumerate(sorted(STEPS)):
        assert np.array_equal(run.weights(epoch)[0], kept[step]["0.weight"].T)
        assert np.array_equal(run.weights(epoch)[1], kept[step]["2.weight"].T)
        assert np.array_equal(run.biases(epoch)[1], kept[step]["2.bias"])
    assert np.allclose(run.loss, [1 / s for s in sorted(STEPS)])
    assert run.notes[0].startswith("imported from 4 checkpoints")


def test_an_in_out_series_without_biases_and_a_single_file(tmp_path):
    w1, w2 = RNG.normal(size=(4, 6)), RNG.normal(size=(6, 1))
    save_file({"dense/kernel": w1, "dense_1/kernel": w2}, str(tmp_path / "one.safetensors"))
    history, transposed = import_checkpoints([tmp_path / "one.safetensors"], tmp_path / "one.netviz")
    assert not transposed
    run = netviz.load(tmp_path / "one.netviz")
    assert run.epochs == 0 and run.layers == (4, 6, 1) and not run.bias
    assert np.array_equal(run.weights(0)[0], w1) and np.isnan(run.loss[0])
    assert "hold no loss" in run.notes[1]
    outputs = run.session.config.arch.forward(history.weights_at(0), np.ones((1, 4)))[-1]  # it can be thought with
    assert outputs.shape == (1, 1)


def test_square_layers_follow_the_names(tmp_path):
    w = [RNG.normal(size=(3, 3)) for _ in range(2)]
    save_file({"fc1.weight": w[0], "fc2.weight": w[1]}, str(tmp_path / "t.safetensors"))
    assert import_checkpoints([tmp_path / "t.safetensors"], tmp_path / "t.netviz")[1]  # PyTorch's names: (out, in)
    save_file({"l1/kernel": w[0], "l2/kernel": w[1]}, str(tmp_path / "k.safetensors"))
    assert not import_checkpoints([tmp_path / "k.safetensors"], tmp_path / "k.netviz")[1]


def test_map_names_the_tensors_and_data_gives_the_loss(tmp_path, capsys):
    w1, w2 = RNG.normal(size=(2, 3)), RNG.normal(size=(3, 1))
    extra = {"norm.running_mean": np.zeros(3), "b_out": np.ones(1)}
    save_file({"a": w1, "z": w2, **extra}, str(tmp_path / "m.safetensors"))
    (tmp_path / "d.csv").write_text("x,y,t\n0,1,1\n1,0,0\n")
    out = str(tmp_path / "m.netviz")
    args = [
        "import",
        str(tmp_path / "m.safetensors"),
        "--out",
        out,
        "--map",
        "a,z+b_out",
        "--data",
        str(tmp_path / "d.csv"),
    ]
    assert main(args) == 0
    run = netviz.load(out)
    assert (
        run.layers == (2, 3, 1)
        and np.array_equal(run.biases(0)[1], [1.0])
        and np.array_equal(run.biases(0)[0], [0, 0, 0])
    )
    assert len(run.dataset) == 2 and np.isfinite(run.loss[0])


@pytest.mark.parametrize(
    ("tensors", "message"),
    [
        (
            {"conv.weight": np.ones((4, 1, 3, 3))},
            r"bad\.safetensors: tensor 'conv\.weight' has shape \(4, 1, 3, 3\); netviz imports dense layers",
        ),
        ({"a": np.ones((2, 3)), "b": np.ones((4, 1))}, r"bad\.safetensors: tensor 'b' \(4, 1\) does not follow 'a'"),
        (
            {"bn.mean": np.ones(3), "w": np.ones((2, 3))},
            r"bad\.safetensors: tensor 'bn\.mean' \(3,\) is no weight's bias",
        ),
        ({"w": np.ones((2, 3)), "w_b": np.ones(5)}, r"bad\.safetensors: tensor 'w_b' has 5 values, but its weight 'w'"),
        ({"x": np.ones(3)}, r"bad\.safetensors: tensor 'x' \(3,\) is no weight's bias"),
    ],
)
def test_a_checkpoint_that_does_not_fit_is_one_line_naming_file_and_tensor(tmp_path, capsys, tensors, message):
    save_file(tensors, str(tmp_path / "bad.safetensors"))
    assert main(["import", str(tmp_path / "bad.safetensors"), "--out", str(tmp_path / "x.netviz")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("netviz: error: ")
    assert re.search(message, err)
    assert not (tmp_path / "x.netviz").exists()


def test_series_errors(tmp_path, capsys):
    torch_series(tmp_path / "ckpt")
    save_file(
        {"0.weight": np.ones((5, 4)), "2.weight": np.ones((2, 5))}, str(tmp_path / "ckpt" / "step_40.safetensors")
    )
    with pytest.raises(CheckpointError, match=r"step_40\.safetensors: has no tensor '0\.bias'"):
        import_checkpoints([tmp_path / "ckpt"], tmp_path / "x.netviz")
    (tmp_path / "junk.safetensors").write_bytes(b"not a checkpoint at all")
    with pytest.raises(CheckpointError, match=r"junk\.safetensors: is not a safetensors file netviz can read"):
        import_checkpoints([tmp_path / "junk.safetensors"], tmp_path / "x.netviz")
    with pytest.raises(CheckpointError, match=r"nothing: no such file or folder"):
        import_checkpoints([tmp_path / "nothing"], tmp_path / "x.netviz")
    assert main(["import", str(tmp_path / "ckpt"), "--out", str(tmp_path / "x.netviz"), "--map", "a+"]) == 2
    assert "each layer is WEIGHT or WEIGHT+BIAS" in capsys.readouterr().err

"""netviz.torch: PyTorch training recorded at its optimizer steps, and from Lightning on rank 0.

PyTorch is large and not in the test extra; these tests run where it is installed:
    pip install torch==2.13.0 pytorch-lightning && python -m pytest tests/test_torch.py
"""

import numpy as np
import pytest

torch = pytest.importorskip("torch", reason="PyTorch is not installed (pip install torch==2.13.0 to run these)")
from torch import nn  # noqa: E402

import netviz  # noqa: E402
from netviz.chain import UnsupportedLayer  # noqa: E402
from netviz.torch import record  # noqa: E402

X = torch.tensor(np.random.default_rng(0).uniform(-1, 1, size=(32, 2)), dtype=torch.float32)
Y = (X[:, :1] * X[:, 1:] > 0).float()


def sequential():
    torch.manual_seed(0)
    return nn.Sequential(nn.Linear(2, 8), nn.Tanh(), nn.Dropout(0.0), nn.Linear(8, 1), nn.Sigmoid())


def train(model, optimizer, rec, steps: int) -> tuple[list, list]:
    """Plain PyTorch training; returns the weights after each step (as the test sees them) and the losses."""
    after, losses = [], []
    for _ in range(steps):
        loss = nn.functional.mse_loss(model(X), Y)
        optimizer.zero_grad()
        loss.backward()
        rec.loss = loss
        losses.append(loss.item())
        optimizer.step()
        after.append([p.detach().clone().numpy() for p in model.parameters()])
    return after, losses


def assert_epoch_is(run, epoch, params) -> None:
    w1, b1, w2, b2 = params
    assert np.array_equal(run.weights(epoch)[0], w1.T) and np.array_equal(run.weights(epoch)[1], w2.T)
    assert np.array_equal(run.biases(epoch)[0], b1) and np.array_equal(run.biases(epoch)[1], b2)


def test_every_optimizer_step_is_recorded_as_weight_t(tmp_path):
    model = sequential()
    start = [p.detach().clone().numpy() for p in model.parameters()]
    optimizer = torch.optim.SGD(model.parameters(), lr=0.5)
    with record(model, tmp_path / "t.netviz") as rec:
        after, losses = train(model, optimizer, rec, 10)
    run = netviz.load(tmp_path / "t.netviz")
    assert (run.layers, run.activations, run.epochs) == ((2, 8, 1), ("tanh", "sigmoid"), 10)
    assert_epoch_is(run, 0, start)
    for k in (1, 5, 10):
        assert_epoch_is(run, k, after[k - 1])
    assert np.allclose(run.loss, [losses[0], *losses], rtol=0, atol=0)


def test_every_n_steps_of_one_optimizer(tmp_path):
    model = sequential()
    optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
    other = torch.optim.SGD([nn.Parameter(torch.zeros(1))], lr=0.1)
    with record(model, tmp_path / "t.netviz", optimizer=optimizer, every=3) as rec:
        other.step()  # another optimizer's steps are not this model's
        after, _ = train(model, optimizer, rec, 9)
    run = netviz.load(tmp_path / "t.netviz")
    assert run.epochs == 3
    assert_epoch_is(run, 3, after[8])


def test_a_module_netviz_cannot_draw_is_named_or_left_out(tmp_path):
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(2, 4), nn.BatchNorm1d(4), nn.ReLU(), nn.Linear(4, 1))
    with pytest.raises(UnsupportedLayer, match=r"^layer '1' \(BatchNorm1d\) cannot be drawn"):
        record(model, tmp_path / "b.netviz")
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    with record(model, tmp_path / "b.netviz", skip_unsupported=True) as rec:
        train(model, optimizer, rec, 2)
    run = netviz.load(tmp_path / "b.netviz")
    assert run.layers == (2, 4, 1) and run.activations == ("relu", "linear")
    assert run.notes == ["layer '1' (BatchNorm1d) was left out"]


def test_ranks_other_than_zero_record_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv("RANK", "1")
    model = sequential()
    with record(model, tmp_path / "r1.netviz") as rec:
        train(model, torch.optim.SGD(model.parameters(), lr=0.1), rec, 2)
    assert not (tmp_path / "r1.netviz").exists()


def lightning():
    """Lightning, or a skip where it is not installed (the other tests here need only torch)."""
    return pytest.importorskip("pytorch_lightning", reason="Lightning is not installed (pip install pytorch-lightning)")


def fit(callback, epochs: int):
    """A LightningModule around sequential(), fitted on the XOR data in batches of 8; returns it."""
    pl = lightning()

    class XorModule(pl.LightningModule):
        def __init__(self):
            super().__init__()
            self.net = sequential()

        def training_step(self, batch, _):
            x, y = batch
            return nn.functional.mse_loss(self.net(x), y)

        def configure_optimizers(self):
            return torch.optim.SGD(self.parameters(), lr=0.5)

    module = XorModule()
    loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(X, Y), batch_size=8)
    trainer = pl.Trainer(max_epochs=epochs, accelerator="cpu", logger=False, enable_checkpointing=False,
                         enable_progress_bar=False, enable_model_summary=False, callbacks=[callback])  # fmt: skip
    trainer.fit(module, loader)
    return module


def lightning_noise(test):
    """Lightning's advice on data loader workers, and its use of torch's deprecated LeafSpec: not netviz's."""
    test = pytest.mark.filterwarnings("ignore::UserWarning")(test)
    return pytest.mark.filterwarnings("ignore:`isinstance\\(treespec, LeafSpec\\)` is deprecated:FutureWarning")(test)


@lightning_noise
def test_lightning_records_every_epoch(tmp_path):
    lightning()
    from netviz.lightning import NetvizCallback

    module = fit(NetvizCallback(tmp_path / "l.netviz"), epochs=3)
    run = netviz.load(tmp_path / "l.netviz")
    assert (run.layers, run.epochs) == ((2, 8, 1), 3)
    assert_epoch_is(run, 3, [p.detach().numpy() for p in module.parameters()])


@lightning_noise
def test_lightning_records_on_global_rank_zero_only(tmp_path, monkeypatch):
    pl = lightning()
    from netviz.lightning import NetvizCallback

    monkeypatch.setattr(pl.Trainer, "global_rank", property(lambda self: 1))
    fit(NetvizCallback(tmp_path / "r1.netviz"), epochs=1)
    assert not (tmp_path / "r1.netviz").exists()


def test_the_readme_example_runs_and_learns(tmp_path, monkeypatch):
    from tests.readme_blocks import readme_block

    monkeypatch.chdir(tmp_path)
    exec(readme_block("torch-example"), {})
    run = netviz.load("circle-torch.netviz")
    assert run.epochs == 300 and run.loss[-1] < 0.5 * run.loss[0]


@lightning_noise
def test_the_readme_lightning_example_runs_and_learns(tmp_path, monkeypatch):
    lightning()
    from tests.readme_blocks import readme_block

    monkeypatch.chdir(tmp_path)
    exec(readme_block("lightning-example"), {"__name__": "readme_example"})
    run = netviz.load("circle-lightning.netviz")
    assert run.epochs == 50 and run.loss[-1] < 0.5 * run.loss[0]

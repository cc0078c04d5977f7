"""`netviz train`, `--version` and `--help`: output, exit codes and messages, in-process and as a process."""

import os
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import netviz
from netviz import cli

ROOT = Path(__file__).resolve().parent.parent
BLOG_START_W1 = [-0.16595599, 0.44064899, -0.99977125, -0.39533485]  # the blog's Stage 1, first row
BLOG_LAYER2 = [-8.1885, 10.1321, -21.3353, 9.9094]  # the blog's Stage 2, layer 2, to 4 places
NUMBER = re.compile(r"-?\d+\.\d*(?:e[-+]?\d+)?")


def train(capsys, *options):
    """Exit code, stdout and stderr of `netviz train OPTIONS`, run in this process."""
    code = cli.main(["train", *options])
    out, err = capsys.readouterr()
    return code, out, err


def stage(out: str, n: int) -> str:
    """The text of Stage n, up to the next stage or the training accuracy."""
    return re.split(r"^Stage \d\) |^training accuracy: ", out, flags=re.MULTILINE)[n]


def numbers(text: str) -> list[float]:
    return [float(v) for v in NUMBER.findall(text)]


def csv(tmp_path, text: str, name="data.csv") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_default_run_is_the_blogs_run_stage_by_stage(capsys):
    code, out, err = train(capsys)
    assert code == cli.EXIT_OK
    assert out.startswith("Stage 1) Random starting synaptic weights:\n")
    start = numbers(stage(out, 1))
    np.testing.assert_allclose(start[:4], BLOG_START_W1, atol=5e-9)
    assert len(start) == 3 * 4 + 4
    trained = numbers(stage(out, 2))
    assert stage(out, 2).startswith("New synaptic weights after training:")
    np.testing.assert_allclose(trained[12:], BLOG_LAYER2, atol=5e-5)
    assert out.endswith(
        "Stage 3) Considering a new situation [1, 1, 0] -> ?:\n[0.0078876]\ntraining accuracy: 100.0%\n"
    )
    assert "60,000 epochs" in err


def test_layers_follow_the_data_and_predict_asks_about_a_new_row(tmp_path, capsys):
    path = csv(tmp_path, "a,b,y1,y2\n0,0,0,1\n0,1,1,0\n1,0,1,0\n1,1,0,1\n")
    code, out, _ = train(capsys, "--data", path, "--targets", "2", "--epochs", "30", "--predict", "1,0")
    assert code == cli.EXIT_OK
    assert "Layer 1 (4 neurons, each with 2 inputs)" in out
    assert "Layer 2 (2 neurons, each with 4 inputs)" in out
    assert "Stage 3) Considering a new situation [1, 0] -> ?:" in out
    assert len(numbers(stage(out, 3))) == 2


def test_data_without_a_new_situation_asks_about_the_middle_of_its_inputs(tmp_path, capsys):
    path = csv(tmp_path, "1,2,0\n3,8,1\n")
    code, out, _ = train(capsys, "--data", path, "--epochs", "5")
    assert code == cli.EXIT_OK
    assert "Stage 3) Considering a new situation [2, 5] -> ?:\n" in out


def test_order_in_order_trains_the_rows_in_the_datas_order(capsys):
    options = ("--batch", "1", "--epochs", "40")
    code, in_order, _ = train(capsys, *options, "--order", "in-order")
    assert code == cli.EXIT_OK
    _, shuffled, _ = train(capsys, *options)
    _, explicit, _ = train(capsys, *options, "--order", "shuffled")
    assert numbers(stage(in_order, 2)) != numbers(stage(shuffled, 2))
    assert explicit == shuffled


def test_layers_bias_batch_activation_and_seed_are_used(capsys):
    code, out, _ = train(
        capsys, "--layers", "3,5,2,1", "--bias", "--batch", "2", "--activation", "tanh", "--seed", "7", "--epochs", "20"
    )
    assert code == cli.EXIT_OK
    assert "Layer 3 (1 neuron, with 2 inputs)" in out
    assert "Layer 1 biases:" in stage(out, 1)
    _, other, _ = train(capsys, "--layers", "3,5,2,1", "--bias", "--activation", "tanh", "--seed", "8", "--epochs", "1")
    assert numbers(stage(out, 1)) != numbers(stage(other, 1))


@pytest.mark.parametrize(
    ("options", "words"),
    [
        (["--epochs", "0"], "--epochs: must be at least 1"),
        (["--epochs", "-3"], "--epochs: must be at least 1"),
        (["--epochs", "many"], "--epochs: 'many' is not a whole number"),
        (["--epochs", "1.5"], "--epochs: '1.5' is not a whole number"),
        (["--lr", "0"], "--lr: must be a positive number"),
        (["--lr", "-0.5"], "--lr: must be a positive number"),
        (["--lr", "nan"], "--lr: must be a positive number"),
        (["--lr", "inf"], "--lr: must be a positive number"),
        (["--lr", "fast"], "--lr: 'fast' is not a number"),
        (["--layers", "3,0,1"], "--layers: layers '3,0,1': each size must be 1 to 4096"),
        (["--layers", "3,-4,1"], "--layers: layers '3,-4,1': each size must be 1 to 4096"),
        (["--layers", "0,4,1"], "--layers: layers '0,4,1': each size must be 1 to 4096"),
        (["--layers", "3 tanh,4,1"], "--layers: the input layer has no activation"),
        (["--layers", "3,4 tanh,1", "--activation", "relu"], "in --layers or with --activation, not both"),
        (["--layers", "3"], "--layers: needs at least an input and an output size"),
        (["--layers", "3,four,1"], "--layers: layers '3,four,1': write sizes like 4 or 8 tanh, 8 relu"),
        (["--layers", "2,4,1"], "--layers 2,4,1 needs 2 inputs"),
        (["--layers", "3,4,2"], "but the blog's data has 3 inputs and 1 target (see"),
        (["--predict", "1,1"], "the new situation has 2 values but the blog's data has 3 inputs"),
        (["--predict", "1,1,0,1"], "the new situation has 4 values but the blog's data has 3 inputs"),
        (["--predict", "1,x,0"], "--predict: '1,x,0' is not a list of numbers"),
        (["--predict", "1,nan,0"], "--predict: values must be finite"),
        (["--batch", "0"], "--batch: must be 'full' or a number of rows of at least 1"),
        (["--batch", "-2"], "--batch: must be 'full' or a number of rows of at least 1"),
        (["--batch", "half"], "--batch: must be 'full' or a number of rows of at least 1, got 'half'"),
        (["--order", "random"], "--order: invalid choice: 'random'"),
        (["--activation", "softmax"], "--activation: 'softmax' is not one of sigmoid, tanh, relu, linear"),
        (["--activation", "sigmoid,tanh,relu"], "--activation lists 3 names but the network has 2 weight layers"),
        (["--seed", "-1"], "--seed: must be between 0 and 4294967295"),
        (["--seed", "4294967296"], "--seed: must be between 0 and 4294967295"),
        (["--seed", "one"], "--seed: 'one' is not a whole number"),
        (["--targets", "2"], "--targets needs --data"),
        (["--targets", "0"], "--targets: must be at least 1"),
        (["--epochs"], "--epochs: expected one argument"),
        (["--speed", "9"], "unrecognized arguments: --speed 9"),
        (
            ["--layers", "3,4096,4096,4096,1"],
            "layers 3,4096,4096,4096,1 have 33,570,816 weights and biases; netviz draws at most 1,000,000",
        ),
        (["--layers", "3,1000,1000,1", "--bias"], "have 1,006,001 weights and biases; netviz draws at most 1,000,000"),
    ],
)
def test_bad_options_exit_2_with_one_line_and_train_nothing(capsys, options, words):
    code, out, err = train(capsys, *options)
    assert code == cli.EXIT_BAD_INPUT
    assert out == ""
    assert err.startswith("netviz train: error: ")
    assert words in err
    assert err.count("\n") == 1
    assert err.endswith("(see netviz train --help)\n")


@pytest.mark.parametrize(
    ("content", "line", "words"),
    [
        (None, None, "no such file"),
        (b"", None, "is empty"),
        (b"a,b,y\n", 1, "has a header but no rows of data"),
        (b"1,2,3\n4,5\n", 2, "has 2 values but the first row has 3"),
        (b"1,2,3\n4,oops,6\n", 2, "'oops' is not a number"),
        (b"1,2,3\n4,NaN,6\n", 2, "'NaN' is not finite"),
        (b"1,2,3\n1e999,5,6\n", 2, "'1e999' is too large"),
        (b"1\n2\n", 1, "single column"),
        (b"\x00\x01\x02\x03", 1, "is binary"),
        (b"1,2,3\n\xff\xfe\xfa\n", 2, "is not UTF-8"),
        (b"a,b\n1,2,3\n", 2, "has 3 values but the header has 2"),
    ],
)
def test_bad_data_exits_2_naming_file_line_and_problem(tmp_path, capsys, content, line, words):
    path = tmp_path / "data.csv"
    if content is not None:
        path.write_bytes(content)
    code, out, err = train(capsys, "--data", str(path))
    assert code == cli.EXIT_BAD_INPUT
    assert out == ""
    where = f"{path}:{line}: " if line else f"{path}: "
    assert where in err
    assert words in err
    assert err.count("\n") == 1


def test_a_folder_as_data_exits_2(tmp_path, capsys):
    code, _, err = train(capsys, "--data", str(tmp_path))
    assert code == cli.EXIT_BAD_INPUT
    assert f"{tmp_path}: is a folder" in err


def test_layers_that_contradict_the_data_exit_2_naming_the_file(tmp_path, capsys):
    path = csv(tmp_path, "a,b,y\n0,1,1\n1,0,1\n")
    code, out, err = train(capsys, "--data", path, "--layers", "3,4,1")
    assert code == cli.EXIT_BAD_INPUT
    assert out == ""
    assert f"--layers 3,4,1 needs 3 inputs and 1 output, but {path} has 2 inputs" in err
    code, _, _ = train(capsys, "--data", path, "--layers", "2,6,3,1", "--epochs", "3")
    assert code == cli.EXIT_OK


def test_predict_must_match_the_datas_inputs(tmp_path, capsys):
    path = csv(tmp_path, "1,2,0\n3,4,1\n")
    code, _, err = train(capsys, "--data", path, "--predict", "1,1,0")
    assert code == cli.EXIT_BAD_INPUT
    assert f"the new situation has 3 values but {path} has 2 inputs" in err


def test_divergence_exits_3_naming_the_epoch(capsys):
    code, out, err = train(capsys, "--activation", "linear,linear", "--lr", "1000")
    assert code == cli.EXIT_DIVERGED
    assert "Stage 1)" in out
    assert "Stage 2)" not in out
    found = re.search(r"training diverged at epoch ([\d,]+).*the last finite epoch is ([\d,]+)", err)
    assert found, err
    bad, last = (int(group.replace(",", "")) for group in found.groups())
    assert bad == last + 1
    assert bad > 0
    assert err.count("\n") == 1


def test_interrupt_exits_130_quietly(monkeypatch, capsys):
    def interrupted(self, history, until):
        raise KeyboardInterrupt

    monkeypatch.setattr("netviz.engine.training.Trainer.run", interrupted)
    code, _, err = train(capsys)
    assert code == 130
    assert "Traceback" not in err


def test_version(capsys):
    with pytest.raises(SystemExit) as exit_:
        cli.main(["--version"])
    assert exit_.value.code == 0
    assert capsys.readouterr().out == f"netviz {netviz.__version__}\n"


def test_help_lists_train_and_every_training_option(capsys):
    with pytest.raises(SystemExit) as exit_:
        cli.main(["--help"])
    assert exit_.value.code == 0
    assert "train" in capsys.readouterr().out
    with pytest.raises(SystemExit) as exit_:
        cli.main(["train", "--help"])
    assert exit_.value.code == 0
    out = capsys.readouterr().out
    for option in ("--epochs", "--seed", "--layers", "--activation", "--lr", "--batch", "--order", "--bias", "--data"):
        assert option in out
    assert "--targets" in out
    assert "--predict" in out


def run_netviz(*args, code: str | None = None) -> subprocess.CompletedProcess:
    """`python -m netviz ARGS` (or `python -c CODE`) in a fresh process with no display."""
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    command = [sys.executable, "-c", code] if code else [sys.executable, "-m", "netviz", *args]
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def test_train_as_a_process_never_imports_qt():
    code = (
        "import sys\n"
        "from netviz.cli import main\n"
        "rc = main(['train', '--epochs', '10'])\n"
        "gui = sorted(m for m in sys.modules if m.split('.')[0] in ('PyQt6', 'pyqtgraph', 'PIL'))\n"
        "assert not gui, gui\n"
        "sys.exit(rc)\n"
    )
    done = run_netviz(code=code)
    assert done.returncode == 0, done.stderr
    assert "Stage 3) Considering a new situation [1, 1, 0] -> ?:" in done.stdout


def test_python_m_netviz_train_and_version_as_processes():
    done = run_netviz("train", "--epochs", "100")
    assert done.returncode == 0, done.stderr
    assert [line for line in done.stdout.splitlines() if line.startswith("Stage")] == [
        "Stage 1) Random starting synaptic weights:",
        "Stage 2) New synaptic weights after training:",
        "Stage 3) Considering a new situation [1, 1, 0] -> ?:",
    ]
    done = run_netviz("--version")
    assert (done.returncode, done.stdout) == (0, f"netviz {netviz.__version__}\n")


@pytest.mark.parametrize(
    ("args", "exit_code"),
    [
        (["train", "--lr", "-1"], 2),
        (["train", "--data", "missing.csv"], 2),
        (["train", "--lr", "1000", "--activation", "linear,linear"], 3),
    ],
)
def test_failures_as_processes_print_no_traceback(args, exit_code):
    done = run_netviz(*args)
    assert done.returncode == exit_code
    assert "Traceback" not in done.stderr
    assert done.stderr.count("\n") == 1


def test_a_reader_that_leaves_early_gets_no_traceback():
    process = subprocess.Popen(
        [sys.executable, "-m", "netviz", "train", "--epochs", "10"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    process.stdout.close()  # as `netviz train | head` does once it has its lines
    _, err = process.communicate(timeout=120)
    assert process.returncode == cli.EXIT_PIPE_CLOSED
    assert "Traceback" not in err
    assert "Exception" not in err


def test_the_app_without_a_display_says_so_in_one_line(monkeypatch, capsys):
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(sys, "platform", "linux")
    assert cli.main([]) == 2
    err = capsys.readouterr().err
    assert "no display" in err and len(err.strip().splitlines()) == 1


def test_a_network_over_the_parameter_limit_is_refused_before_anything_is_allocated(capsys, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("allocated a network over the limit")

    monkeypatch.setattr("netviz.engine.history.History", refuse)
    monkeypatch.setattr("netviz.engine.segments.Trainer", refuse)
    code, out, err = train(capsys, "--layers", "3,4096,4096,4096,1")
    assert (code, out) == (cli.EXIT_BAD_INPUT, "")
    assert "at most 1,000,000" in err


def test_negative_numbers_need_no_equals_sign(capsys):
    _, out, _ = train(capsys, "--epochs", "10", "--predict", "-1,0.5,-2e-1")
    assert "Stage 3) Considering a new situation [-1, 0.5, -0.2] -> ?:" in out
    code, out, err = train(capsys, "--epochs", "10", "--predict", "-x")
    assert code == cli.EXIT_BAD_INPUT and "--predict: expected one argument" in err


def test_a_closed_output_exits_2_in_one_line():
    done = subprocess.run(
        ["sh", "-c", 'exec "$0" -m netviz train --epochs 10 >&-', sys.executable],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert (done.returncode, done.stderr) == (2, "netviz: error: cannot write the output: standard output is closed\n")


def test_a_full_output_exits_2_in_one_line():
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            [sys.executable, "-m", "netviz", "train", "--epochs", "10"],
            cwd=ROOT, stdout=full, stderr=subprocess.PIPE, text=True, timeout=120,
        )  # fmt: skip
    assert (done.returncode, done.stderr) == (2, "netviz: error: cannot write the output: No space left on device\n")

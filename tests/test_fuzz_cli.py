"""Fuzzing the CLI's options: any argv of train, snapshot and export exits 0, 2 or 3 and never raises.

Values mix sensible ones with negatives, huge numbers, text, empty strings and lists; --epochs is
always forced small (last on the line, so it wins) and every file goes to a throw-away folder.
Only the expensive valid values (big layers, many frames, big images) are kept out, for speed.
"""

import contextlib
import io
import tempfile

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from netviz import cli
from netviz.engine.data import blog, save_csv
from netviz.engine.history import History
from netviz.engine.session import save_session
from netviz.engine.training import TrainConfig, Trainer

FUZZ = settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

NUMBERS = st.one_of(
    st.integers(-5, 60).map(str),
    st.sampled_from(["0", "-1", "-0", "1e3", "1_000", "10" * 20, "-" + "9" * 30, "1e999", "nan", "inf", "-inf"]),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
)
TEXT = st.one_of(
    st.sampled_from(["", " ", "abc", ",", "1,", ",1", "1,,1", "1,1,0", "0,1", "1,1,0,1", "full", "x", "--", "-"]),
    st.text(max_size=8),
)
VALUE = st.one_of(NUMBERS, TEXT)

# Sensible values, so that many runs get through to training and rendering. Valid values that would make
# a run slow are left out: layers up to 8 wide, tiny images, few frames.
INTS = st.integers(0, 60).map(str)
SENSIBLE = {
    "--seed": INTS,
    "--layers": st.sampled_from(["3,4,1", "3,2,2,1", "3,1", "3,8,1", "2,4,1", "3,4,2"]),
    "--activation": st.lists(
        st.sampled_from(["sigmoid", "tanh", "relu", "linear", "SIGMOID", " tanh "]), min_size=1, max_size=3
    ).map(",".join),
    "--lr": st.sampled_from(["0.1", "1", "2.5", "1e-3", "1000", "1e300"]),  # the last two diverge
    "--batch": st.sampled_from(["full", "FULL", "1", "2", "7", "100"]),
    "--targets": st.sampled_from(["1", "2"]),
    "--predict": st.sampled_from(["1,1,0", "0,0,0", "1e300,-1e300,0", "1,1"]),
    "--input": st.sampled_from(["1,1,0", "0,1,0", "1e300,-1e300,0", "1,1"]),
    "--epoch": INTS,
    "--from": INTS,
    "--to": INTS,
    "--fps": st.sampled_from(["1", "20", "50", "100", "0.5", "33.3"]),
    "--hold": st.sampled_from(["0", "0.5", "2"]),
    "--loop": st.sampled_from(["0", "1", "3", "65535"]),
    "--frames": st.integers(1, 4).map(str),
    "--size": st.tuples(st.integers(16, 64), st.integers(16, 64)).map(lambda wh: f"{wh[0]}x{wh[1]}"),
    "--theme": st.sampled_from(["light", "dark", "classic"]),
    "--schedule": st.sampled_from(["log", "linear"]),
    "--preset": st.sampled_from(
        ["and", "or", "xor", "circle", "xor-quadrants", "gaussians", "spiral", "three-classes"]
    ),
    "--preset-seed": INTS,
    "--noise": st.sampled_from(["0", "0.1", "1"]),
    "--points": st.sampled_from(["4", "20", "200"]),
}
ODD = {
    "--layers": st.one_of(
        st.lists(st.integers(-1, 8), max_size=4).map(lambda xs: ",".join(map(str, xs))),
        st.sampled_from(["3,5000,1", "3,0,1", "3," + "9" * 30 + ",1"]),
        TEXT,
    ),
    "--size": st.one_of(
        st.tuples(st.integers(-20, 60), st.integers(-20, 60)).map(lambda wh: f"{wh[0]}x{wh[1]}"),
        st.sampled_from(["99999x99999", "8193x16", "16×16", "32X24", "x", "1x2x3", "0x0"]),
        TEXT,
    ),
    "--frames": st.one_of(st.integers(-2, 0).map(str), st.sampled_from(["10001", "9" * 25]), TEXT),
    "--activation": st.one_of(st.sampled_from(["soft", "sigmoid,,tanh", "sigmoid,tanh,relu,linear"]), TEXT),
    "--theme": st.sampled_from(["neon", "", "Light"]),
    "--schedule": st.sampled_from(["cubic", "", "LOG"]),
    "--preset": st.sampled_from(["", "nope", "XOR", "blog"]),
    "--points": st.sampled_from(["3", "10001", "-4", "1e3"]),
}


def option_value(option: str):
    """Mostly a sensible value, else something odd: a negative, a huge number, text, empty, a list."""
    return st.one_of(SENSIBLE.get(option, VALUE), SENSIBLE.get(option, VALUE), ODD.get(option, VALUE))


PATHS = {
    "--data": [
        "{fix}/ok.csv",
        "{fix}/ok.csv",
        "{fix}/two.csv",
        "{fix}/bad.csv",
        "{fix}/empty.csv",
        "{tmp}/missing.csv",
        "{tmp}",
        "",
    ],
    "--save": ["{tmp}/run.netviz", "{tmp}/run.txt", "{tmp}/no/run.netviz", "{tmp}", ""],
    "--session": ["{fix}/ok.netviz", "{fix}/ok.netviz", "{fix}/bad.csv", "{tmp}/missing.netviz", "{tmp}", ""],
}
TRAINING = ["--seed", "--layers", "--activation", "--lr", "--batch", "--bias", "--data", "--targets", "--predict"]
TRAINING += ["--preset", "--preset-seed", "--noise", "--points"]
OPTIONS = {
    "train": [*TRAINING, "--save"],
    "snapshot": [*TRAINING, "--epoch", "--size", "--theme", "--input", "--session"],
    "export": [
        *TRAINING,
        *["--frames", "--fps", "--size", "--schedule", "--from", "--to", "--theme", "--think"],
        *["--input", "--caption", "--no-caption", "--hold", "--loop", "--session"],
    ],
}
FLAGS = {"--bias", "--think", "--caption", "--no-caption"}
OUTS = {
    "train": [None],
    "snapshot": ["{tmp}/out.png", "{tmp}/OUT.PNG", "{tmp}/out.gif", "{tmp}/no/out.png", "{tmp}", "", None],
    "export": [
        *["{tmp}/out.gif", "{tmp}/out.png", "{tmp}/out.webp", "{tmp}/out.mp4", "{tmp}/out.txt"],
        *["{tmp}/no/out.gif", "{tmp}", "", None],
    ],
}


@st.composite
def command_lines(draw) -> list[str]:
    command = draw(st.sampled_from(sorted(OPTIONS)))
    argv = [command]
    out = draw(st.sampled_from(OUTS[command][:1] * 4 + OUTS[command]))  # mostly the sensible one
    if out is not None:
        argv.append(out)
    if command != "train":
        argv += ["--size", "48x32", "--frames", "3"] if command == "export" else ["--size", "48x32"]  # fast defaults
    for option in draw(st.lists(st.sampled_from(OPTIONS[command]), max_size=4)):
        argv.append(option)
        if option in FLAGS:
            continue
        if option in PATHS:
            argv.append(draw(st.sampled_from(PATHS[option])))
        else:
            argv.append(draw(option_value(option)))
    if draw(st.integers(0, 9)) == 0:
        argv.insert(draw(st.integers(1, len(argv))), draw(VALUE))  # a stray word anywhere
    if "--session" in argv:
        return argv  # a session holds its run (50 epochs); --epochs would be refused
    return [*argv, "--epochs", str(draw(st.integers(1, 50)))]


@pytest.fixture(scope="module")
def fixtures(tmp_path_factory):
    folder = tmp_path_factory.mktemp("fuzz-cli")
    save_csv(blog(), folder / "ok.csv")
    (folder / "bad.csv").write_text("a,b\n1,x\n")
    (folder / "two.csv").write_text("a,b,c,d\n0,1,1,0\n1,0,1,0\n1,1,0,1\n")
    (folder / "empty.csv").write_bytes(b"")
    config = TrainConfig(epochs=50)
    history = History(config, blog())
    Trainer(config, blog()).run(history, config.epochs)
    save_session(folder / "ok.netviz", history)
    return str(folder)


def run(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(argv)
    return code, out.getvalue(), err.getvalue()


@FUZZ
@given(command_lines())
def test_any_command_line_exits_0_2_or_3(qapp, fixtures, argv):  # qapp: the app export and snapshot paint in
    with tempfile.TemporaryDirectory() as tmp:
        argv = [arg.replace("{tmp}", tmp).replace("{fix}", fixtures) for arg in argv]
        code, out, err = run(argv)
        event(f"{argv[0]} exit {code}")
        assert code in (0, 2, 3), (argv, code, err)
        assert "Traceback" not in err
        if code == 2:
            assert err.startswith("netviz") and err.count("\n") == 1, (argv, err)
        if code == 0 and argv[0] != "train":
            assert out.startswith("wrote "), (argv, out)

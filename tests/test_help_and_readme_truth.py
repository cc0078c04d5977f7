"""What the README and --help say about the program is what the program does."""

import io
import json
import re
import zipfile
from pathlib import Path

import pytest

from netviz import cli
from netviz.engine.presets import RECIPES
from netviz.engine.session import VERSION

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def help_of(option: str) -> str:
    """The --help text of one option of `netviz train`, on one line."""
    parser = cli.build_parser()
    train = next(a for a in parser._actions if a.dest == "command").choices["train"]
    action = next(a for a in train._actions if option in a.option_strings)
    return " ".join(action.help.split())


def output_activation(*options: str) -> str:
    """The output layer's activation of the run `netviz train OPTIONS` trains."""
    config = cli.run_from_args(cli.build_parser().parse_args(["train", *options]))[1]
    return config.arch.activations[-1]


def newer_session(good: bytes, version: int) -> bytes:
    """good with its manifest's format version set to version."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(good)) as zin, zipfile.ZipFile(out, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "manifest.json":
                data = json.dumps({**json.loads(data), "version": version})
            zout.writestr(info.filename, data)
    return out.getvalue()


def test_the_readmes_newer_session_error_is_the_one_netviz_prints(tmp_path, monkeypatch, capsys):
    [shown] = re.findall(r"^netviz: error: new\.netviz: was written by a newer netviz.*$", README, re.MULTILINE)
    monkeypatch.chdir(tmp_path)
    assert cli.main(["train", "--epochs", "5", "--save", "run.netviz"]) == 0
    (tmp_path / "new.netviz").write_bytes(newer_session((tmp_path / "run.netviz").read_bytes(), VERSION + 1))
    capsys.readouterr()
    assert cli.main(["new.netviz"]) == 2
    assert capsys.readouterr().err == shown + "\n"


def test_the_blog_page_size_is_given_as_it_is_in_every_place():
    size_kb = round((ROOT / "assets" / "blog.html").stat().st_size / 1e3)  # as `netviz export` prints it
    given = re.findall(r"\(assets/blog\.html\) \([^)]*?(\d+) KB", README, re.DOTALL)
    given += re.findall(r"`html_bytes_blog`\) \| (\d+)", README)
    assert len(given) == 2
    assert given == [str(size_kb)] * 2


@pytest.mark.parametrize("preset", ["plane", "three-classes", "xor"])
def test_one_activation_name_changes_the_hidden_layers_and_the_output_keeps_the_recipes(preset):
    assert "the output keeps the recipe's" in help_of("--activation")
    assert output_activation("--preset", preset, "--activation", "relu") == RECIPES[preset].output
    assert output_activation("--preset", preset, "--activation", "relu") != "relu"


def test_the_output_help_gives_the_defaults_netviz_uses():
    text = help_of("--output")
    assert "linear for the regression presets" in text and "softmax for three or more classes" in text
    assert {output_activation("--preset", name) for name in ("plane", "multi-gaussian")} == {"linear"}
    assert output_activation("--preset", "three-classes") == "softmax"
    assert output_activation("--preset", "circle") == output_activation() == "sigmoid"

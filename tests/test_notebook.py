"""netviz.show: the interactive page inline in a notebook, from a session, a Recorder or a History."""

import html
import json
import re
from pathlib import Path

import numpy as np
import pytest

import netviz
from netviz.engine import History, Trainer, blog, blog_config
from netviz.engine.session import load_session, save_session

pytestmark = pytest.mark.usefixtures("qapp")  # the page measures names with the painter's fonts


@pytest.fixture(scope="module")
def history():
    config, data = blog_config(), blog()
    run = History(config, data)
    Trainer(config, data).run(run, 500)
    return run


def embedded(player) -> dict:
    """The page data inside the iframe that the notebook shows."""
    shown = player._repr_html_()
    assert shown.startswith("<iframe srcdoc=") and 'sandbox="allow-scripts"' in shown
    page = html.unescape(re.search(r'srcdoc="([^"]*)"', shown).group(1))
    assert page == player.html and "<script" in page
    return json.loads(re.search(r'class="netviz-data">(.*?)</script>', page, re.S).group(1))


def test_shows_a_session_file_and_its_loaded_session_alike(history, tmp_path):
    path = tmp_path / "run.netviz"
    save_session(path, history)
    from_path, from_session = netviz.show(str(path)), netviz.show(load_session(path))
    assert from_path.html == from_session.html
    data = embedded(from_path)
    assert data["lastEpoch"] == 500 and len(data["epochs"]) == 100 and data["epochs"][-1] == 500


def test_shows_a_recording_as_far_as_it_went(tmp_path):
    x = np.array([[0.0, 1.0], [1.0, 0.0]])
    rng = np.random.default_rng(0)
    with netviz.Recorder(tmp_path / "rec.netviz", layers=[2, 3, 1], inputs=x, targets=[[1.0], [0.0]]) as rec:
        for _ in range(7):
            rec.record([rng.normal(size=(2, 3)), rng.normal(size=(3, 1))])
        data = embedded(netviz.show(rec))
    assert data["epochs"] == list(range(7)) and data["layers"] == [2, 3, 1]


def test_a_recording_without_data_shows_its_weights_and_loss(tmp_path):
    with netviz.Recorder(tmp_path / "bare.netviz", layers=[2, 2, 1]) as rec:
        for k in range(3):
            rec.record([np.full((2, 2), k + 0.5), np.ones((2, 1))], loss=1.0 / (k + 1))
        data = embedded(netviz.show(rec))
    assert data["lossText"] == ["loss 1.000", "loss 0.5000", "loss 0.3333"]
    assert data["rows"] == [] and "plane" not in data


def test_settings_are_the_exports(history):
    player = netviz.show(history, frames=10, theme="classic", size=(640, 400))
    data = embedded(player)
    assert len(data["epochs"]) == 10 and data["theme"] == "classic" and data["layouts"][0]["width"] == 640
    assert "max-width:656px;height:630px" in player._repr_html_()


def test_anything_else_is_refused_in_one_line():
    with pytest.raises(TypeError, match=r"netviz\.show needs a session path"):
        netviz.show(42)


def readme_example() -> str:
    text = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    match = re.search(r"<!-- notebook-example[^>]*-->\n```python\n(.*?)```", text, re.DOTALL)
    assert match, "the README lost its notebook example"
    return match.group(1)


def test_the_readme_notebook_example_runs_and_saves_what_netviz_export_writes(tmp_path, monkeypatch, capsys):
    from netviz.cli import main

    monkeypatch.chdir(tmp_path)
    exec(compile(readme_example(), "README.md", "exec"), {"__name__": "readme_example"})
    args = ["export", "--session", "xor.netviz", "cli.html", "--frames", "60", "--theme", "dark"]
    assert main(args) == 0
    capsys.readouterr()
    assert (tmp_path / "xor.html").read_bytes() == (tmp_path / "cli.html").read_bytes()


def test_an_edited_run_gets_room_for_the_line_naming_its_edits(history):
    from netviz.engine import segments
    from netviz.engine.changes import Change

    config, data = blog_config(), blog()
    edited = History(config, data)
    segments.train(edited, 400, [Change.parse("200:lr=0.1")])
    plain, changed = netviz.show(history), netviz.show(edited)
    height = re.compile(r"max-width:\d+px;height:(\d+)px")
    assert int(height.search(changed._repr_html_()).group(1)) == int(height.search(plain._repr_html_()).group(1)) + 24

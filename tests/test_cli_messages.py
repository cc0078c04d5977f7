"""The command line's one-line errors read right: counts, number formats, and help offered only where it helps."""

import pytest

from netviz import cli


def error_of(capsys, *argv: str) -> str:
    """The one line `netviz ARGV` prints on stderr, after checking it exits 2 and writes nothing out."""
    assert cli.main(list(argv)) == cli.EXIT_BAD_INPUT
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1
    return err.rstrip("\n")


@pytest.mark.parametrize(
    ("layers", "words"),
    [("3,4,2", "needs 3 inputs and 2 outputs, but the blog's data has 3 inputs and 1 target (see"),
     ("1,4,1", "needs 1 input and 1 output, but the blog's data has 3 inputs and 1 target (see")],
)  # fmt: skip
def test_counts_of_one_are_singular(capsys, layers, words):
    assert words in error_of(capsys, "train", "--layers", layers)


def test_a_negative_penalty_says_it_must_be_0_or_more(capsys):
    for option in ("--l1", "--l2"):
        assert error_of(capsys, "train", option, "-1") == (
            f"netviz train: error: argument {option}: must be 0 or more, got -1 (see netviz train --help)"
        )


def test_the_runs_epochs_are_written_with_thousands_separators(capsys, tmp_path):
    err = error_of(capsys, "snapshot", str(tmp_path / "a.png"), "--epoch", "70000")
    assert err == "netviz snapshot: error: --epoch 70000 is beyond the run's 60,000 epochs (see netviz snapshot --help)"


def test_a_missing_or_unwritable_folder_does_not_send_the_user_to_help(capsys, tmp_path):
    err = error_of(capsys, "export", str(tmp_path / "missing" / "a.gif"))
    assert (
        err
        == f"netviz export: error: {tmp_path / 'missing' / 'a.gif'}: the folder {tmp_path / 'missing'} does not exist"
    )
    (tmp_path / "b.png").mkdir()
    assert error_of(capsys, "snapshot", str(tmp_path / "b.png")).endswith(f"{tmp_path / 'b.png'}: is a folder")
    assert "--help" in error_of(capsys, "export", str(tmp_path / "a.jpg"))  # help lists the file types


@pytest.mark.parametrize(
    ("command", "name"), [("snapshot", ".png"), ("snapshot", ".PNG"), ("export", ".gif"), ("export", ".html")]
)
def test_a_name_that_is_only_an_extension_is_refused(capsys, tmp_path, monkeypatch, command, name):
    monkeypatch.chdir(tmp_path)
    err = error_of(capsys, command, name)
    like = f"run{name.lower()}"
    assert err == f"netviz {command}: error: {name}: the name is only an extension; give a name, like {like}"
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("word", ["nosuch.txt", "trian"])
def test_a_first_word_that_is_no_command_and_no_session_says_so(capsys, word):
    assert error_of(capsys, word) == (
        f"netviz: error: {word} is not a .netviz file or a command "
        "(train, snapshot, export, explain, import, open) (see netviz --help)"
    )

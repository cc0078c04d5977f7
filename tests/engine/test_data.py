import os
import threading

import numpy as np
import pytest

from netviz.engine.data import DataError, Dataset, blog, load_csv, save_csv
from netviz.engine.limits import MAX_DATA_BYTES

BLOG_CSV = "x1,x2,x3,out\n0,0,1,0\n0,1,1,1\n1,0,1,1\n0,1,0,1\n1,0,0,1\n1,1,1,0\n0,0,0,0\n"


def write(tmp_path, content, name="data.csv"):
    path = tmp_path / name
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


def test_blog_table_loads_as_the_blogs_dataset(tmp_path):
    data = load_csv(write(tmp_path, BLOG_CSV))
    assert np.array_equal(data.inputs, blog().inputs)
    assert np.array_equal(data.targets, blog().targets)
    assert data.input_names == ["x1", "x2", "x3"]
    assert data.target_names == ["out"]
    assert data.name == "data"


@pytest.mark.parametrize(
    "content",
    [
        pytest.param(b"\xef\xbb\xbfa,b,y\n1,2,3\n4,5,6\n", id="utf8-bom"),
        pytest.param(b"a,b,y\r\n1,2,3\r\n4,5,6\r\n", id="crlf"),
        pytest.param(b"\xef\xbb\xbfa,b,y\r\n1,2,3\r\n4,5,6\r\n", id="bom-and-crlf"),
        pytest.param(b"a,b,y\r1,2,3\r4,5,6\r", id="old-mac-cr"),
        pytest.param(b"a, b, y\n1, 2, 3\n4,  5 ,\t6\n", id="spaces-after-commas"),
        pytest.param(b"a,b,y\n1e0,2.0E+00,0.3e1\n4,5e-0,600e-2\n", id="scientific"),
        pytest.param(b"a,b,y\n1,2,3\n4,5,6\n\n\n  \n\r\n", id="trailing-blank-lines"),
        pytest.param(b"\n\na,b,y\n\n1,2,3\n4,5,6", id="blank-lines-and-no-final-newline"),
        pytest.param(b'"a","b","y"\n"1","2","3"\n4,5,6\n', id="quoted"),
    ],
)
def test_files_people_really_write_load(tmp_path, content):
    data = load_csv(write(tmp_path, content))
    np.testing.assert_array_equal(data.inputs, [[1, 2], [4, 5]])
    np.testing.assert_array_equal(data.targets, [[3], [6]])
    assert data.input_names == ["a", "b"]
    assert data.target_names == ["y"]


def test_without_a_header_every_row_is_data_and_columns_get_default_names(tmp_path):
    data = load_csv(write(tmp_path, "1,2,3\n4,5,6\n-7,8.5,-1e-3\n"))
    np.testing.assert_array_equal(data.inputs, [[1, 2], [4, 5], [-7, 8.5]])
    np.testing.assert_array_equal(data.targets, [[3], [6], [-0.001]])
    assert data.input_names == ["x1", "x2"]
    assert data.target_names == ["out"]


def test_targets_k_makes_the_last_k_columns_targets(tmp_path):
    path = write(tmp_path, "1,2,3,4\n5,6,7,8\n")
    data = load_csv(path, n_targets=2)
    np.testing.assert_array_equal(data.inputs, [[1, 2], [5, 6]])
    np.testing.assert_array_equal(data.targets, [[3, 4], [7, 8]])
    assert (data.n_in, data.n_out) == (2, 2)
    assert data.target_names == ["out1", "out2"]
    assert load_csv(path, n_targets=3).n_in == 1


def test_empty_header_names_get_default_names(tmp_path):
    data = load_csv(write(tmp_path, "a,,y\n1,2,3\n"))
    assert data.input_names == ["a", "x2"]
    assert data.target_names == ["y"]


def problem(tmp_path, content, n_targets=1):
    with pytest.raises(DataError) as info:
        load_csv(write(tmp_path, content), n_targets=n_targets)
    return info.value


@pytest.mark.parametrize(
    ("content", "line", "words"),
    [
        pytest.param(b"", None, "is empty", id="empty"),
        pytest.param(b"\n \r\n\t\n", None, "is empty", id="only-blank-lines"),
        pytest.param(b"\xef\xbb\xbf", None, "is empty", id="only-a-bom"),
        pytest.param(b"a,b,y\n\n", 1, "header but no rows", id="header-without-rows"),
        pytest.param(b"1,2,3\n4,5\n", 2, "has 2 values but the first row has 3", id="short-row"),
        pytest.param(b"1,2,3\n4,5,6,7\n", 2, "has 4 values but the first row has 3", id="long-row"),
        pytest.param(b"a,b,y\n1,2,3\n\n4,5,6,7\n", 4, "has 4 values but the header has 3", id="header-vs-rows"),
        pytest.param(b"a,b\n1,2,3\n", 2, "has 3 values but the header has 2", id="header-narrower"),
        pytest.param(b"1,2,3\n4,five,6\n", 2, "column 2: 'five' is not a number", id="text"),
        pytest.param(b"a,b,y\n1,2,3\nx,y,z\n", 3, "column 1: 'x' is not a number", id="second-header"),
        pytest.param(b"1,two,3\n4,5,6\n", 1, "mixes numbers and words", id="text-in-first-row"),
        pytest.param(b"a,2,y\n4,5,6\n", 1, "mixes numbers and words", id="number-in-header"),
        pytest.param(b"1,2,3\n4,NaN,6\n", 2, "column 2: 'NaN' is not finite", id="nan"),
        pytest.param(b"1,2,3\n4,5,inf\n", 2, "column 3: 'inf' is not finite", id="inf"),
        pytest.param(b"1,2,3\n-Infinity,5,6\n", 2, "column 1: '-Infinity' is not finite", id="minus-infinity"),
        pytest.param(b"1,2,3\n4,1e999,6\n", 2, "column 2: '1e999' is too large", id="overflow"),
        pytest.param(b"1,2,3\n4,5,-1e999\n", 2, "column 3: '-1e999' is too large", id="negative-overflow"),
        pytest.param(b"1,,3\n", 1, "column 2 is empty", id="empty-cell"),
        pytest.param(b"1,2,\n", 1, "column 3 is empty", id="trailing-comma"),
        pytest.param(b"y\n1\n2\n", 1, "single column", id="single-column-with-header"),
        pytest.param(b"1\n2\n", 1, "single column", id="single-column"),
        pytest.param(b"1;2;3\n4;5;6\n", 1, "separated by semicolons", id="semicolons"),
        pytest.param(b"1\t2\t3\n", 1, "separated by tabs", id="tabs"),
        pytest.param(b"1,2,3\n4,\x005,6\n", 2, "binary", id="nul-byte"),
        pytest.param(b"PK\x03\x04\x14\x00\x06\x00", 1, "binary", id="zip-xlsx"),
        pytest.param(b"1,2,3\n4,5,6\n\x89\xff\xfe\n", 3, "not UTF-8", id="invalid-utf8"),
        pytest.param(b"\x89PNG\r\n\x1a\n", 2, "binary", id="png"),
        pytest.param(b"caf\xe9,b,y\n1,2,3\n", 1, "not UTF-8", id="latin-1"),
        pytest.param("a,b\n1,2\n".encode("utf-16"), None, "UTF-16", id="utf-16"),
        pytest.param("a,b\n1,2\n".encode("utf-32"), None, "is UTF-32 text", id="utf-32"),
        pytest.param("a,b\n1,2\n".encode("utf-32-be"), None, "is UTF-32 text", id="utf-32-be-without-bom"),
        pytest.param(b"a,b\n1_000,2\n", 2, "column 1: '1_000' is not a plain number", id="underscore"),
        pytest.param("a,b\n1,\u0663\n".encode(), 2, "column 2: '\u0663' is not a plain number", id="arabic-digit"),
        pytest.param("a,b\n\uff11,2\n".encode(), 2, "column 1: '\uff11' is not a plain number", id="fullwidth-digit"),
        pytest.param(b"a,b\n1,2\n" + b"3,4\n" * 300_000 + b"\x00", 300_003, "binary", id="binary-far-in"),
    ],
)
def test_bad_files_raise_one_line_naming_file_line_and_problem(tmp_path, content, line, words):
    error = problem(tmp_path, content)
    where = f"{tmp_path / 'data.csv'}:{line}: " if line else f"{tmp_path / 'data.csv'}: "
    assert str(error).startswith(where)
    assert words in str(error)
    assert "\n" not in str(error)
    assert error.line == line


def test_a_quoted_value_with_a_comma_stays_one_value(tmp_path):
    content = 'x,"y, in metres",colour\n1,2,"red, dark"\n3, "4" ,blue\n5,6,"say ""red"""\n'
    data = load_csv(write(tmp_path, content))
    np.testing.assert_array_equal(data.inputs, [[1, 2], [3, 4], [5, 6]])
    assert data.input_names == ["x", "y, in metres"]
    assert sorted(data.target_names) == ["blue", "red, dark", 'say "red"']  # three classes, one a value with a comma


def test_a_quoted_number_with_a_decimal_comma_is_one_bad_value_not_an_extra_column(tmp_path):
    error = problem(tmp_path, 'a,b\n"2,5",1\n')
    assert str(error).endswith("data.csv:2: column 1: '2,5' is not a number")


@pytest.mark.parametrize("line", ['4,"5,6', '4,5,"six', '"4,5,6', '4,5,"six""'])
def test_an_unterminated_quote_is_one_line_naming_the_file_and_line(tmp_path, line):
    error = problem(tmp_path, f"a,b,y\n1,2,3\n{line}\n7,8,9\n")
    column = line[: line.index('"')].count(",") + 1
    assert str(error) == f"{tmp_path / 'data.csv'}:3: column {column}: a quoted value has no closing quote on this line"
    assert error.line == 3


def test_long_values_are_shortened_in_the_message(tmp_path):
    error = problem(tmp_path, "1,2\n3," + "9" * 500 + "e999\n")
    assert "is too large" in str(error)
    assert len(str(error)) < len(str(tmp_path)) + 100


@pytest.mark.parametrize("n_targets", [3, 4])
def test_more_targets_than_columns_allow_is_refused(tmp_path, n_targets):
    error = problem(tmp_path, "1,2,3\n", n_targets=n_targets)
    assert f"has 3 columns, so it cannot have {n_targets} target columns" in str(error)


def test_missing_file(tmp_path):
    with pytest.raises(DataError, match=r"nope\.csv: no such file$"):
        load_csv(tmp_path / "nope.csv")


def test_folder(tmp_path):
    with pytest.raises(DataError, match="is a folder"):
        load_csv(tmp_path)


def test_data_error_is_a_value_error():
    assert issubclass(DataError, ValueError)


def test_save_csv_round_trips_exactly(tmp_path):
    rng = np.random.default_rng(0)
    original = Dataset(
        rng.normal(size=(9, 3)) * 10.0 ** rng.integers(-300, 300, size=(9, 3)),
        rng.normal(size=(9, 2)),
        input_names=["a", "b b", "c"],
        target_names=["y1", "y2"],
    )
    path = tmp_path / "saved.csv"
    save_csv(original, path)
    loaded = load_csv(path, n_targets=2)
    assert np.array_equal(loaded.inputs, original.inputs)
    assert np.array_equal(loaded.targets, original.targets)
    assert loaded.input_names == original.input_names
    assert loaded.target_names == original.target_names
    assert not (tmp_path / "saved.csv.tmp").exists()


def test_save_csv_round_trips_the_blog_with_default_names(tmp_path):
    path = tmp_path / "blog.csv"
    save_csv(blog(), path)
    loaded = load_csv(path)
    assert np.array_equal(loaded.inputs, blog().inputs)
    assert np.array_equal(loaded.targets, blog().targets)
    assert loaded.input_names == ["x1", "x2", "x3"]


@pytest.mark.parametrize("name", ["a,b", "12", "", 'say "hi"', "two\nlines"])
def test_save_csv_refuses_names_that_would_not_read_back(tmp_path, name):
    dataset = Dataset(np.zeros((2, 1)), np.ones((2, 1)), input_names=[name])
    with pytest.raises(ValueError, match="cannot be written"):
        save_csv(dataset, tmp_path / "out.csv")
    assert not (tmp_path / "out.csv").exists()


def test_utf32_is_named_and_not_mistaken_for_utf16(tmp_path):
    error = problem(tmp_path, "a,b\n1,2\n".encode("utf-32"))
    assert "UTF-16" not in str(error)


def test_a_data_file_over_the_limit_is_refused_before_it_is_read(tmp_path, monkeypatch):
    import builtins

    path = tmp_path / "big.csv"
    with open(path, "wb") as f:
        f.truncate(MAX_DATA_BYTES + 1)  # sparse: 64 MB of zeros that take no disk
    reads = []
    real_open = builtins.open

    def counting_open(*args, **kwargs):
        f = real_open(*args, **kwargs)
        reads.append(f)
        return f

    monkeypatch.setattr(builtins, "open", counting_open)
    with pytest.raises(DataError, match=r"big.csv: is 16.0 MB; data files can be at most 16 MB"):
        load_csv(path)
    assert all(f.closed for f in reads) and all(f.tell() == 0 for f in reads if not f.closed)


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_endless_devices_are_refused_at_their_first_bytes(device):
    # Random bytes may hold a newline before the first byte that marks them binary: line 1 or a little later.
    with pytest.raises(DataError, match=rf"^{device}:\d+: is binary"):
        load_csv(device)


def test_endless_text_stops_at_the_limit(tmp_path, monkeypatch):
    """A pipe or device of text never ends: reading stops past the limit instead of filling memory."""
    import netviz.engine.data as data

    monkeypatch.setattr(data, "MAX_DATA_BYTES", 1000)
    fifo = tmp_path / "endless.csv"
    os.mkfifo(fifo)
    writer = threading.Thread(target=_write_endlessly, args=(fifo,), daemon=True)
    writer.start()
    with pytest.raises(DataError, match="is larger than 1000 bytes; data files can be at most"):
        load_csv(fifo)
    writer.join(10)
    assert not writer.is_alive()


def _write_endlessly(path) -> None:
    try:
        with open(path, "wb") as f:
            while True:
                f.write(b"1,2\n" * 1000)
    except BrokenPipeError:
        pass


def test_a_large_file_loads_within_a_few_times_its_size(tmp_path):
    """Parsed a line at a time into the final arrays: no list of every cell on the way."""
    import tracemalloc

    path = tmp_path / "rows.csv"
    path.write_bytes(b"x,y\n" + b"0,1\n" * 500_000)  # 2 MB, a million cells
    tracemalloc.start()
    data = load_csv(path)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert len(data) == 500_000 and data.targets[-1, 0] == 1.0
    assert peak < 6 * path.stat().st_size  # the 2 MB of text, then 8 MB of float64 values

"""A CSV table is read into the right features, classes and column names; bad tables are refused naming where."""

import os

import numpy as np
import pytest

from nncore import csv_table
from nncore.csv_table import read_table
from nncore.errors import DataFileError


def table(tmp_path, text, name="t.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_header_names_the_columns_and_label_is_the_class_column_wherever_it_is(tmp_path):
    """'label' in the middle is the class; the other columns keep their names and order."""
    t = read_table(table(tmp_path, "a,Label,b\n1,x,2\n3.5,y,-4e-1\n"))
    assert t.columns == ("a", "b") and t.label_column == "Label"
    assert t.labels.tolist() == ["x", "y"] and t.features.tolist() == [[1.0, 2.0], [3.5, -0.4]]


def test_without_a_header_the_last_column_is_the_class_even_when_it_is_text(tmp_path):
    """Numbers then a text class on every row: no header; columns are named x1, x2."""
    t = read_table(table(tmp_path, "1,2,cat\n3,4,dog\n"))
    assert t.columns == ("x1", "x2") and t.labels.tolist() == ["cat", "dog"] and t.features.shape == (2, 2)


def test_a_header_whose_only_text_is_the_class_name_is_still_a_header(tmp_path):
    """'1,2,kind' over numeric classes: the first row names the columns."""
    t = read_table(table(tmp_path, "1,2,kind\n0.5,0.25,0\n1.5,2.5,1\n"))
    assert t.label_column == "kind" and t.labels.tolist() == ["0", "1"] and len(t.features) == 2


def test_semicolons_a_byte_order_mark_blank_lines_and_quotes_are_read(tmp_path):
    """A spreadsheet's export: BOM, ';' separators, quoted fields and a blank line."""
    path = tmp_path / "s.csv"
    path.write_bytes("\ufeffx;y;label\n1;2;\"a b\"\n\n3;4;c\n".encode("utf-8"))
    t = read_table(path)
    assert t.columns == ("x", "y") and t.labels.tolist() == ["a b", "c"]


@pytest.mark.parametrize("text, words", [
    ("x,y,label\n1,abc,A\n", "line 2, column 'y': 'abc', not a number"),
    ("x,y,label\n1,,A\n", "line 2, column 'y': empty (a missing value)"),
    ("x,y,label\n1,2,A\n3,4,\n", "line 3: the class ('label') is missing"),
    ("x,y,label\n1,2,A\n3,nan,B\n", "line 3, column 'y': nan is not a finite number"),
    ("x,y,label\n1,2,A\n-inf,3,B\n", "line 3, column 'x': -inf is not a finite number"),
    ("x,y,label\n1,2,A\n1e31,3,B\n", "line 3, column 'x': 1e+31 is too large"),
    ("x,y,label\n1,2,A\n3,B\n", "line 3 has 2 fields; the first row has 3"),
    ("x,y,label\n", "has a header but no rows"),
    ("\n\n", "holds no rows"),
    ("only\n1\n", "a table needs at least one feature column and a class column"),
])
def test_bad_tables_are_refused_naming_the_line_and_column(tmp_path, text, words):
    """Text in a numeric column, a missing value or class, NaN, infinity, a ragged row, no rows: one line."""
    with pytest.raises(DataFileError, match=words.replace("(", r"\(").replace(")", r"\)").replace("+", r"\+")):
        read_table(table(tmp_path, text))


def test_binary_and_non_utf8_files_are_refused(tmp_path):
    """NUL bytes, or bytes that are not UTF-8: said, nothing parsed."""
    (tmp_path / "b.csv").write_bytes(b"x,y\n\0\0\0")
    (tmp_path / "l.csv").write_bytes("x,y,label\n1,2,caf\xe9\n".encode("latin-1"))
    with pytest.raises(DataFileError, match="holds binary data"):
        read_table(tmp_path / "b.csv")
    with pytest.raises(DataFileError, match=r"is not UTF-8 text \(byte 17\)"):
        read_table(tmp_path / "l.csv")


def test_ten_million_rows_are_refused_before_any_is_parsed(tmp_path):
    """10⁷ rows: the lines are counted first and the limit named."""
    path = tmp_path / "tall.csv"
    path.write_bytes(b"1,0\n" * 10_000_000)
    with pytest.raises(DataFileError, match="has 10,000,001 lines; at most 1,000,000 rows"):
        read_table(path)


def test_ten_thousand_columns_are_refused(tmp_path):
    """10⁴ feature columns: more than a network's input layer may have (4,096)."""
    row = ",".join(["1"] * 10_001)
    with pytest.raises(DataFileError, match="has 10,000 feature columns; at most 4,096 are accepted"):
        read_table(table(tmp_path, row + "\n" + row + "\n"))


def test_too_many_numbers_in_all_are_refused_naming_the_limit(tmp_path, monkeypatch):
    """Rows × columns past MAX_NUMBERS: refused before the rows are parsed."""
    monkeypatch.setattr(csv_table, "MAX_NUMBERS", 10)
    with pytest.raises(DataFileError, match="= 12 numbers; at most 10 are accepted"):
        read_table(table(tmp_path, "1,2,3,4,0\n" * 2))


def test_a_file_larger_than_the_limit_is_refused_by_its_size(tmp_path, monkeypatch):
    """The size is checked before reading."""
    monkeypatch.setattr(csv_table, "MAX_CSV_BYTES", 8)
    with pytest.raises(DataFileError, match="is 16 bytes; a CSV table .* is at most 8 bytes"):
        read_table(table(tmp_path, "1,2,A\n3,4,B\n1,1\n"))


def test_special_files_are_refused_without_hanging(tmp_path):
    """A FIFO and /dev/zero named .csv: refused from their kind."""
    os.mkfifo(tmp_path / "f.csv")
    os.symlink("/dev/zero", tmp_path / "z.csv")
    with pytest.raises(DataFileError, match="is a named pipe"):
        read_table(tmp_path / "f.csv")
    with pytest.raises(DataFileError, match="is a device"):
        read_table(tmp_path / "z.csv")


def test_values_are_exact_float64(tmp_path):
    """The numbers are Python's float() of the text: 0.1 is 0.1."""
    t = read_table(table(tmp_path, "0.1,1e-300,A\n-0,7,B\n"))
    assert np.array_equal(t.features, np.array([[0.1, 1e-300], [-0.0, 7.0]]))

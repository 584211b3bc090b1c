"""A CSV table of numeric feature columns and a class column, read with every size checked first.

The class column is the one named ``label`` (any case), else the last; the first row is a header when
one of its feature fields is not a number (or its class field is text while the next row's is a number).
Fields are separated by commas (or by semicolons or tabs when the first line has no comma); blank lines
are passed over. Only regular files are read (:func:`nncore.fileio.read_regular_bytes`), at most
:data:`MAX_CSV_BYTES`, as UTF-8; at most :data:`MAX_ROWS` rows of at most :data:`MAX_FEATURES` feature
columns, and :data:`MAX_NUMBERS` numbers in all, are accepted: a larger table is refused with the limit
named before its rows are parsed. Text in a feature column, a missing class, NaN or infinity, a number beyond
±:data:`MAX_MAGNITUDE`, or a row of another width is refused naming its line and column.
"""

import csv
import io
from dataclasses import dataclass

import numpy as np

from .errors import DataFileError
from .fileio import read_regular_bytes
from .limits import LAYER_SIZE, MAX_DATA_BYTES

WHAT = "a CSV table (.csv)"
MAX_CSV_BYTES = 256 << 20            # 256 MiB of text
MAX_ROWS = 1_000_000                 # rows of examples (a header aside)
MAX_FEATURES = LAYER_SIZE.high       # feature columns: the inputs, at most a layer's width (4,096)
MAX_NUMBERS = MAX_DATA_BYTES // 4    # features in all: their float32 copy within the data's share of memory
MAX_MAGNITUDE = 1e30                 # a feature's size: standardised in float64, trained in float32


@dataclass(frozen=True)
class Table:
    """A read table: ``features`` float64 ``(n, d)``, ``labels`` str ``(n,)`` (the class column's text,
    stripped), ``columns`` the d feature columns' names, ``label_column`` the class column's name."""

    features: np.ndarray
    labels: np.ndarray
    columns: tuple
    label_column: str


def read_table(path):
    """The :class:`Table` of the CSV file ``path``; raises DataFileError saying what is wrong and where."""
    data = read_regular_bytes(path, MAX_CSV_BYTES, WHAT, DataFileError)
    if b"\0" in data:
        raise DataFileError(f"{path}: holds binary data (NUL bytes); expected {WHAT} of text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise DataFileError(f"{path}: is not UTF-8 text (byte {e.start:,}); save the table as UTF-8 CSV") from None
    lines = text.count("\n") + 1
    if lines > MAX_ROWS + 1:
        raise DataFileError(f"{path}: has {lines:,} lines; at most {MAX_ROWS:,} rows (and a header) are accepted")
    first_line = text.split("\n", 1)[0]
    delimiter = "," if "," in first_line or not (";" in first_line or "\t" in first_line) else \
        (";" if ";" in first_line else "\t")
    rows = _rows(csv.reader(io.StringIO(text), delimiter=delimiter), path)
    first = next(rows, None)
    if first is None:
        raise DataFileError(f"{path}: holds no rows; a table holds feature columns and a class column")
    return _parse(path, first, rows, lines)


def _rows(reader, path):
    """``(line number, fields)`` of each non-blank row of ``reader``; csv errors become DataFileError."""
    try:
        for fields in reader:
            if any(f.strip() for f in fields):
                yield reader.line_num, fields
    except csv.Error as e:
        raise DataFileError(f"{path}: line {reader.line_num:,}: not readable as CSV ({e})") from None


def _parse(path, first, rows, lines):
    """The Table from the first row ``(line, fields)`` and the rest, after the header and bounds are known."""
    line, fields = first
    width = len(fields)
    if width < 2:
        raise DataFileError(f"{path}: line {line}: has {width} column; a table needs at least one feature "
                            "column and a class column")
    if width - 1 > MAX_FEATURES:
        raise DataFileError(f"{path}: has {width - 1:,} feature columns; at most {MAX_FEATURES:,} are accepted "
                            "(a network's input layer is at most that wide)")
    if lines * (width - 1) > MAX_NUMBERS:
        raise DataFileError(f"{path}: has up to {lines:,} rows of {width - 1:,} features = {lines * (width - 1):,} "
                            f"numbers; at most {MAX_NUMBERS:,} are accepted, a limit on memory")
    names = [f.strip() for f in fields]
    second = next(rows, None)
    header = _is_header(names, second)
    at = next((i for i, n in enumerate(names) if n.lower() == "label"), width - 1) if header else width - 1
    columns = tuple(n or f"column {i + 1}" for i, n in enumerate(names) if i != at) if header else \
        tuple(f"x{i + 1}" for i in range(width - 1))
    label_column = (names[at] or "label") if header else "label"
    body = ([] if header else [first]) + ([second] if second is not None else [])
    features = np.empty((lines, width - 1), np.float64)
    labels, where = [], np.empty(lines, np.int64)
    for line, fields in _chain(body, rows):
        n = len(labels)
        if len(fields) != width:
            raise DataFileError(f"{path}: line {line:,} has {len(fields)} fields; the first row has {width}")
        label = fields[at].strip()
        if not label:
            raise DataFileError(f"{path}: line {line:,}: the class ({label_column!r}) is missing; every row "
                                "needs one")
        features[n] = _numbers(path, line, fields[:at] + fields[at + 1:], columns)
        labels.append(label)
        where[n] = line
    n = len(labels)
    if n == 0:
        raise DataFileError(f"{path}: has a header but no rows")
    features = features[:n]
    _check_finite(path, features, where[:n], columns)
    return Table(features, np.array(labels), columns, label_column)


def _chain(body, rows):
    yield from body
    yield from rows


def _is_header(names, second):
    """True when the first row names the columns: a feature field is not a number, or the class field is
    text where the next row's is a number."""
    if any(not _is_number(n) for n in names[:-1]) or any(n.lower() == "label" for n in names):
        return True
    return not _is_number(names[-1]) and second is not None and _is_number(second[1][-1].strip())


def _is_number(text):
    try:
        float(text)
    except ValueError:
        return False
    return True


def _numbers(path, line, fields, columns):
    """The feature ``fields`` of one row as floats; the first that is not a number is refused by name."""
    try:
        return [float(f) for f in fields]
    except ValueError:
        for name, f in zip(columns, fields):
            if not _is_number(f):
                what = "empty (a missing value)" if not f.strip() else f"{f.strip()[:40]!r}, not a number"
                raise DataFileError(f"{path}: line {line:,}, column {name!r}: {what}; feature columns hold "
                                    "numbers") from None
        raise


def _check_finite(path, features, lines, columns):
    """Refuse NaN and infinity, naming the first such value's line and column."""
    bad = ~np.isfinite(features)
    if bad.any():
        row, col = np.argwhere(bad)[0]
        value = features[row, col]
        raise DataFileError(f"{path}: line {int(lines[row]):,}, column {columns[col]!r}: {value} is not a finite "
                            "number; NaN and infinity are refused")
    big = np.abs(features) > MAX_MAGNITUDE
    if big.any():
        row, col = np.argwhere(big)[0]
        raise DataFileError(f"{path}: line {int(lines[row]):,}, column {columns[col]!r}: {features[row, col]:g} is "
                            f"too large; numbers from {-MAX_MAGNITUDE:g} to {MAX_MAGNITUDE:g} are accepted")

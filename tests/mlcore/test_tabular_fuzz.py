"""mlcore.tabular under random input: a DataFrame or a TableError, never any other exception."""

import io
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from mlcore.tabular import ReadLimits, TableError, read_table

# Derandomised, so CI sees the same examples every run; raise max_examples to search deeper.
FUZZ = settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
LIMITS = ReadLimits(max_columns=50)

# Characters that stress a CSV reader: delimiters, quotes, line breaks, non-ASCII, NUL.
TRICKY = st.sampled_from([",", ";", "\t", "|", '"', "'", "\n", "\r", " ", "\x00"])
CELL = st.one_of(
    st.text(max_size=8),
    st.text(alphabet=st.one_of(TRICKY, st.characters(codec="utf-8")), max_size=6),
    st.integers(-1000, 1000).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.sampled_from(["", "NA", "null", "true", "False", "2024-01-31", "1,5", "é", "😀"]),
)


def read_bytes(data: bytes, filename: str) -> pd.DataFrame | None:
    """The frame read_table returns, or None after a well-formed TableError."""
    error = None
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / filename
        path.write_bytes(data)
        try:
            frame = read_table(path, filename=filename, limits=LIMITS)
        except TableError as exc:  # anything else fails the test
            error = exc
    if error is not None:
        assert error.message
        assert error.code
        event(f"TableError {error.code}")
        return None
    event("DataFrame")
    assert isinstance(frame, pd.DataFrame)
    assert len(frame) > 0
    return frame


@st.composite
def csv_documents(draw: st.DrawFn) -> bytes:
    delimiter = draw(st.sampled_from([",", ";", "\t", "|"]))
    newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    width = draw(st.integers(1, 6))
    lines = []
    if draw(st.integers(0, 4)):  # mostly a proper header, so the rows get parsed too
        lines.append(delimiter.join(f"col{i}" for i in range(width)))
    for _ in range(draw(st.integers(0, 12))):
        if draw(st.integers(0, 9)) == 0:
            lines.append("")  # an empty line
            continue
        count = width if draw(st.integers(0, 4)) else draw(st.integers(0, width + 2))
        cells = []
        for _ in range(count):
            cell = draw(CELL)
            if draw(st.booleans()):
                cell = '"' + cell.replace('"', '""') + '"'
            cells.append(cell)
        lines.append(delimiter.join(cells))
    text = newline.join(lines) + draw(st.sampled_from(["", newline]))
    encoding = draw(st.sampled_from(["utf-8", "utf-8", "utf-8-sig", "latin-1"]))
    return text.encode(encoding, errors="replace")


@FUZZ
@given(st.binary(max_size=3000), st.sampled_from(["data.csv", "data.parquet", "data", "x.tsv"]))
def test_random_bytes_give_a_frame_or_a_table_error(data: bytes, filename: str) -> None:
    read_bytes(data, filename)


@FUZZ
@given(st.binary(max_size=2000))
def test_random_bytes_behind_a_parquet_signature_give_a_table_error(data: bytes) -> None:
    assert read_bytes(b"PAR1" + data + b"PAR1", "data.parquet") is None


def parquet_file(compression: str) -> bytes:
    rng = np.random.default_rng(0)
    table = pa.table(
        {
            "x": rng.normal(size=500),
            "word": rng.choice(["a", "bb", "ccc"], 500),
            "n": rng.integers(0, 9, 500),
            "flag": rng.random(500) < 0.5,
        }
    )
    sink = io.BytesIO()
    pq.write_table(table, sink, compression=compression, row_group_size=200)
    return sink.getvalue()


PARQUET = {name: parquet_file(name) for name in ("snappy", "zstd", "none")}


@FUZZ
@given(
    st.sampled_from(sorted(PARQUET)),
    st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 255)), min_size=1, max_size=6),
)
def test_a_parquet_file_with_damaged_bytes_gives_a_frame_or_a_table_error(
    compression: str, damage: list[tuple[int, int]]
) -> None:
    data = bytearray(PARQUET[compression])
    for position, value in damage:
        data[4 + position % (len(data) - 8)] = value  # keep the magic bytes at both ends
    read_bytes(bytes(data), "data.parquet")


@FUZZ
@given(csv_documents())
def test_random_csv_shapes_give_a_frame_or_a_table_error(data: bytes) -> None:
    frame = read_bytes(data, "data.csv")
    if frame is not None:
        assert frame.columns.is_unique
        assert all(str(name).strip() for name in frame.columns)

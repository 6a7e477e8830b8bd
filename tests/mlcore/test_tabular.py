"""mlcore.tabular: every bad upload is refused with a message naming the line and column."""

import gzip
import hashlib
import io
import pickle
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from mlcore import tabular
from mlcore.tabular import ReadLimits, TableError, content_sha256, detect_format, read_table
from mlcore.tabular import require_target as require

SAVE_AS_UTF8 = (
    "Save the file as UTF-8 (in Excel: File → Save As → “CSV UTF-8”) and upload it again."
)


def write(tmp_path: Path, data: bytes | str, name: str = "data.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return path


def refuse(tmp_path: Path, data: bytes | str, name: str = "data.csv", **kwargs) -> TableError:  # noqa: ANN003
    path = write(tmp_path, data, name)
    with pytest.raises(TableError) as caught:
        read_table(path, filename=name, **kwargs)
    return caught.value


def parquet_bytes(table: pa.Table, **kwargs) -> bytes:  # noqa: ANN003
    sink = io.BytesIO()
    pq.write_table(table, sink, **kwargs)
    return sink.getvalue()


# --- CSV that reads --------------------------------------------------------------------------


def test_a_plain_csv_reads_with_numbers_text_and_missing_values(tmp_path: Path) -> None:
    frame = read_table(
        write(tmp_path, "id,price,city\n1,9.5,Paris\n2,,\n3,7,Lyon\n"), filename="data.csv"
    )
    assert list(frame.columns) == ["id", "price", "city"]
    assert frame["id"].tolist() == [1, 2, 3]
    assert frame["price"].isna().tolist() == [False, True, False]
    assert frame["city"].isna().tolist() == [False, True, False]
    assert frame["city"].iloc[0] == "Paris"


def test_values_equal_what_pandas_read_csv_gives(tmp_path: Path) -> None:
    rng = np.random.default_rng(3)
    expected = pd.DataFrame(
        {
            "x": rng.normal(size=300).round(4),
            "n": rng.integers(-50, 50, 300),
            "word": rng.choice(["alpha", "beta", "gamma"], 300),
        }
    )
    expected.loc[::7, "x"] = np.nan
    path = tmp_path / "data.csv"
    expected.to_csv(path, index=False)
    frame = read_table(path, filename="data.csv")
    reference = pd.read_csv(path)
    pd.testing.assert_frame_equal(frame, reference, check_dtype=False)


def test_a_utf8_bom_is_accepted_and_not_part_of_the_first_name(tmp_path: Path) -> None:
    frame = read_table(write(tmp_path, b"\xef\xbb\xbfname,age\nAda,36\n"), filename="data.csv")
    assert list(frame.columns) == ["name", "age"]


@pytest.mark.parametrize(
    ("text", "columns"),
    [
        ("a;b;c\n1;x;2\n3;y;4\n", ["a", "b", "c"]),
        ("a\tb\tc\n1\tx\t2\n3\ty\t4\n", ["a", "b", "c"]),
        ("a|b|c\n1|x|2\n3|y|4\n", ["a", "b", "c"]),
        ("a,b,c\n1,x;y,2\n3,y;z,4\n", ["a", "b", "c"]),
    ],
    ids=["semicolon", "tab", "pipe", "comma with semicolons in values"],
)
def test_the_delimiter_is_detected(tmp_path: Path, text: str, columns: list[str]) -> None:
    frame = read_table(write(tmp_path, text), filename="data.csv")
    assert list(frame.columns) == columns
    assert frame["a"].tolist() == [1, 3]


def test_semicolon_files_with_decimal_commas_read_as_numbers(tmp_path: Path) -> None:
    frame = read_table(write(tmp_path, "price;qty\n1,5;2\n2,25;3\n"), filename="data.csv")
    assert frame["price"].tolist() == [1.5, 2.25]


def test_quoted_values_may_hold_delimiters_quotes_and_newlines(tmp_path: Path) -> None:
    text = 'note,n\n"a, b",1\n"say ""hi""",2\n"two\nlines",3\n'
    frame = read_table(write(tmp_path, text), filename="data.csv")
    assert frame["note"].tolist() == ["a, b", 'say "hi"', "two\nlines"]


def test_crlf_line_endings_and_blank_lines_are_read(tmp_path: Path) -> None:
    frame = read_table(write(tmp_path, "a,b\r\n1,2\r\n\r\n3,4\r\n"), filename="data.csv")
    assert frame.to_dict("list") == {"a": [1, 3], "b": [2, 4]}


def test_a_value_longer_than_a_parse_block_is_read(tmp_path: Path) -> None:
    long_text = "x" * (3 * 1024 * 1024)
    frame = read_table(write(tmp_path, f"a,b\n1,{long_text}\n2,y\n"), filename="data.csv")
    assert len(frame.loc[0, "b"]) == len(long_text)


def test_booleans_with_gaps_and_dates_get_proper_types(tmp_path: Path) -> None:
    text = "flag,day\ntrue,2024-01-31\n,2024-02-01\nfalse,2024-02-02\n"
    frame = read_table(write(tmp_path, text), filename="data.csv")
    assert str(frame["flag"].dtype) == "boolean"
    assert frame["flag"].isna().tolist() == [False, True, False]
    assert pd.api.types.is_datetime64_any_dtype(frame["day"])


# --- CSV that is refused ------------------------------------------------------------------


def test_an_empty_file_is_refused(tmp_path: Path) -> None:
    error = refuse(tmp_path, b"")
    assert error.message == "“data.csv” is empty. Upload a file with a header line and data rows."
    assert error.code == "empty"


def test_a_file_of_blank_lines_is_refused_as_empty(tmp_path: Path) -> None:
    assert refuse(tmp_path, "\n\r\n  \n").code == "empty"


def test_a_header_without_rows_is_refused_naming_the_line_after_it(tmp_path: Path) -> None:
    for text in ("a,b,c\n", "a,b,c"):
        error = refuse(tmp_path, text)
        assert error.message == (
            "“data.csv” has a header (3 columns) but no data rows. Add the rows below the "
            "header line."
        )
        assert (error.row, error.code) == (2, "no_rows")


def test_duplicate_column_names_are_named(tmp_path: Path) -> None:
    error = refuse(tmp_path, "id,score,id\n1,2,3\n")
    assert error.message == (
        "The column name “id” appears 2 times in the header (line 1, columns 1, 3). Column "
        "names must be unique: rename the copies."
    )
    assert (error.row, error.column, error.code) == (1, "id", "duplicate_column")


def test_an_empty_column_name_is_named_by_its_position(tmp_path: Path) -> None:
    error = refuse(tmp_path, "a,,c\n1,2,3\n")
    assert error.message == (
        "Column 2 of the header (line 1) has no name. Give every column a name."
    )
    assert (error.row, error.code) == (1, "empty_column_name")


def test_an_unnamed_first_column_is_explained_as_a_saved_index(tmp_path: Path) -> None:
    error = refuse(tmp_path, ",a,b\n0,1,2\n")
    assert "Column 1 of the header (line 1) has no name" in error.message
    assert "index=False" in error.message


def test_a_long_row_names_its_editor_line_and_the_field_counts(tmp_path: Path) -> None:
    # Line 3 is blank: the bad row is line 5 as an editor counts, header = line 1.
    error = refuse(tmp_path, "a,b\n1,2\n\n3,4\n5,6,7\n8,9\n")
    assert error.message == (
        "Line 5 has 3 fields but the header (line 1) has 2. A value probably holds a comma "
        "(“,”) without quotes around it; put such values in double quotes."
    )
    assert (error.row, error.column, error.code) == (5, None, "ragged")


def test_a_short_row_names_its_line_and_says_a_value_is_missing(tmp_path: Path) -> None:
    error = refuse(tmp_path, "a;b;c\n1;2;3\n4;5\n")
    assert error.message == (
        "Line 3 has 2 fields but the header (line 1) has 3. A value is probably missing; "
        "write an empty value as nothing between two delimiters (“;;”)."
    )
    assert error.row == 3


def test_an_unclosed_quote_names_the_line_where_the_record_starts(tmp_path: Path) -> None:
    error = refuse(tmp_path, 'a,b\n1,2\n"oops,3\n4,5\n')
    assert error.row == 3
    assert "runs on to line 4: probably an unclosed double quote" in error.message


def test_a_ragged_row_deep_in_a_large_file_names_its_line(tmp_path: Path) -> None:
    lines = ["a,b,c"] + [f"{i},{i * 2},x" for i in range(60_000)]
    lines[45_000] = "1,2,3,4"
    error = refuse(tmp_path, "\n".join(lines) + "\n")
    assert error.row == 45_001
    assert error.message.startswith("Line 45001 has 4 fields but the header (line 1) has 3.")


def test_latin1_bytes_name_the_line_and_column_and_say_save_as_utf8(tmp_path: Path) -> None:
    error = refuse(tmp_path, "id,city\n1,Paris\n2,Zürich\n".encode("latin-1"))
    assert error.message == (
        "Line 3, column “city”, is not valid UTF-8 text (byte 0xFC, which is “ü” in "
        f"Windows-1252/Latin-1). {SAVE_AS_UTF8}"
    )
    assert (error.row, error.column, error.code) == (3, "city", "encoding")


def test_latin1_in_the_header_names_line_1(tmp_path: Path) -> None:
    error = refuse(tmp_path, "id,café\n1,2\n".encode("latin-1"))
    assert (error.row, error.code) == (1, "encoding")
    assert error.message.endswith(SAVE_AS_UTF8)


def test_latin1_far_into_a_large_file_names_its_line(tmp_path: Path) -> None:
    lines = ["id,word"] + [f"{i},plain" for i in range(200_000)]
    lines[150_000] = "150000,na\xefve"
    error = refuse(tmp_path, ("\n".join(lines) + "\n").encode("latin-1"))
    assert (error.row, error.column) == (150_001, "word")
    assert "byte 0xEF, which is “ï”" in error.message


def test_too_many_columns_are_refused_from_the_header(tmp_path: Path) -> None:
    error = refuse(tmp_path, "a,b,c,d\n1,2,3,4\n", limits=ReadLimits(max_columns=3))
    assert error.message == (
        "The header (line 1) has 4 columns; the limit is 3. Drop unused columns, or check "
        "the delimiter."
    )
    assert (error.row, error.code) == (1, "too_many_columns")


def test_too_many_rows_are_refused_when_rows_are_capped(tmp_path: Path) -> None:
    error = refuse(tmp_path, "a\n1\n2\n3\n", limits=ReadLimits(max_rows=2))
    assert error.code == "too_many_rows"
    assert "has 3 rows; the limit is 2" in error.message


def test_the_size_cap_is_checked_before_the_file_is_opened(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path, "a,b\n1,2\n")

    def never(*args, **kwargs) -> None:  # noqa: ANN002, ANN003
        raise AssertionError("the file was opened")

    monkeypatch.setattr(tabular, "open", never, raising=False)
    with pytest.raises(TableError) as caught:
        read_table(path, filename="data.csv", limits=ReadLimits(max_bytes=5))
    assert caught.value.message == (
        "“data.csv” is 8 bytes; the limit is 5 bytes. Upload a sample, split the file, or "
        "save it as Parquet, which is usually much smaller."
    )
    assert caught.value.code == "too_large"


# --- not a table at all -------------------------------------------------------------------


def test_a_pickle_renamed_csv_is_refused_and_never_loaded(tmp_path: Path) -> None:
    error = refuse(tmp_path, pickle.dumps({"weights": [1, 2, 3]}))
    assert error.message == (
        "“data.csv” is a Python pickle, not a table. Pickles can run code when loaded, so "
        "they are never opened here. Upload a CSV file saved as UTF-8, or a Parquet file."
    )
    assert error.code == "unsupported_format"


def test_an_excel_workbook_renamed_csv_is_refused(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
    error = refuse(tmp_path, buffer.getvalue())
    assert error.message.startswith("“data.csv” is an Excel workbook, not a CSV or Parquet table.")
    assert "CSV UTF-8" in error.message


def test_a_zip_archive_renamed_csv_is_refused(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("data.csv", "a,b\n1,2\n")
    assert refuse(tmp_path, buffer.getvalue()).message.startswith("“data.csv” is a ZIP archive")


def test_random_binary_garbage_renamed_csv_is_refused(tmp_path: Path) -> None:
    garbage = np.random.default_rng(0).integers(0, 256, 4096, dtype=np.uint8).tobytes()
    error = refuse(tmp_path, garbage)
    assert error.message.startswith("“data.csv” looks binary, not like a CSV text table")
    assert error.code == "unsupported_format"


@pytest.mark.parametrize(
    ("data", "what"),
    [
        (gzip.compress(b"a,b\n1,2\n"), "gzip-compressed"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "a PDF document"),
        (b"\x7fELF\x02\x01\x01\x00" + bytes(64), "an executable program"),
        (b"MZ\x90\x00\x03\x00\x00\x00" + bytes(64), "an executable program"),
    ],
)
def test_other_binary_formats_are_named(tmp_path: Path, data: bytes, what: str) -> None:
    assert refuse(tmp_path, data).message.startswith(f"“data.csv” is {what}")


def test_utf16_text_is_refused_with_save_as_utf8(tmp_path: Path) -> None:
    error = refuse(tmp_path, "a,b\n1,2\n".encode("utf-16"))
    assert error.code == "encoding"
    assert error.message.endswith(SAVE_AS_UTF8)


def test_a_parquet_file_named_csv_is_refused_saying_what_to_rename(tmp_path: Path) -> None:
    data = parquet_bytes(pa.table({"a": [1, 2]}))
    error = refuse(tmp_path, data, "scores.csv")
    assert error.message == (
        "“scores.csv” is a Parquet file, but its name ends in .csv. Rename it to end in "
        ".parquet and upload it again."
    )
    assert error.code == "misnamed"


def test_a_text_file_named_parquet_is_refused(tmp_path: Path) -> None:
    error = refuse(tmp_path, "a,b\n1,2\n", "data.parquet")
    assert error.code == "misnamed"
    assert "rename it to end in .csv" in error.message


def test_detect_format_tells_csv_from_parquet_by_content() -> None:
    assert detect_format(b"a,b\n1,2\n", "data.csv") == "csv"
    assert detect_format(b"a,b\n1,2\n", "export") == "csv"
    assert detect_format(b"PAR1\x15\x04", "data.parquet") == "parquet"
    assert detect_format(b"PAR1\x15\x04", "data") == "parquet"
    with pytest.raises(TableError, match="named like a Python pickle"):
        detect_format(b"a,b\n", "model.pkl")


# --- Parquet ------------------------------------------------------------------------------


def test_parquet_reads_with_plain_pandas_types(tmp_path: Path) -> None:
    table = pa.table(
        {
            "n": pa.array([1, 2, None], pa.int64()),
            "x": [0.5, None, 1.5],
            "s": ["a", None, "c"],
            "b": pa.array([True, None, False]),
            "t": pa.array([0, 86_400, None], pa.timestamp("s")),
        }
    )
    frame = read_table(write(tmp_path, parquet_bytes(table), "d.parquet"), filename="d.parquet")
    assert frame["n"].tolist()[:2] == [1.0, 2.0]
    assert frame["s"].isna().tolist() == [False, True, False]
    assert str(frame["b"].dtype) == "boolean"
    assert pd.api.types.is_datetime64_any_dtype(frame["t"])


def test_parquet_over_its_uncompressed_budget_is_refused_from_the_footer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    table = pa.table({"x": np.arange(10_000, dtype=np.float64)})
    path = write(tmp_path, parquet_bytes(table, compression="zstd"), "d.parquet")

    def never(*args, **kwargs) -> None:  # noqa: ANN002, ANN003
        raise AssertionError("data pages were read")

    monkeypatch.setattr(pq.ParquetFile, "iter_batches", never)
    monkeypatch.setattr(pq.ParquetFile, "read", never)
    with pytest.raises(TableError) as caught:
        read_table(
            path, filename="d.parquet", limits=ReadLimits(max_parquet_uncompressed_bytes=50_000)
        )
    declared = pq.ParquetFile(path).metadata.row_group(0).total_byte_size
    assert caught.value.message == (
        f"“d.parquet” holds {declared:,} bytes of data once decompressed; the limit is 50,000 "
        "bytes. Upload a sample or fewer columns."
    )
    assert caught.value.code == "too_large"


def test_parquet_that_expands_in_memory_beyond_the_budget_is_refused(tmp_path: Path) -> None:
    # One long value repeated: dictionary encoding keeps the file and the footer tiny.
    table = pa.table({"s": ["x" * 1000] * 20_000})
    data = parquet_bytes(table, use_dictionary=True)
    declared = pq.ParquetFile(io.BytesIO(data)).metadata.row_group(0).total_byte_size
    assert declared < 200_000
    error = refuse(
        tmp_path, data, "d.parquet", limits=ReadLimits(max_parquet_uncompressed_bytes=1_000_000)
    )
    assert error.code == "too_large"
    assert "expands to more than" in error.message


def test_a_truncated_parquet_file_is_refused_as_damaged(tmp_path: Path) -> None:
    data = parquet_bytes(pa.table({"a": list(range(100))}))
    error = refuse(tmp_path, data[: len(data) // 2], "d.parquet")
    assert error.code == "corrupt"
    assert error.message.startswith("“d.parquet” is not a readable Parquet file")


def test_parquet_with_a_nested_column_is_refused_naming_it(tmp_path: Path) -> None:
    data = parquet_bytes(pa.table({"ok": [1], "tags": [["a", "b"]]}))
    error = refuse(tmp_path, data, "d.parquet")
    assert (error.column, error.code) == ("tags", "unsupported_type")
    assert "nested values" in error.message


def test_parquet_with_too_many_columns_is_refused_from_the_footer(tmp_path: Path) -> None:
    data = parquet_bytes(pa.table({f"c{i}": [i] for i in range(5)}))
    error = refuse(tmp_path, data, "d.parquet", limits=ReadLimits(max_columns=4))
    assert error.code == "too_many_columns"
    assert "has 5 columns; the limit is 4" in error.message


def test_parquet_without_rows_is_refused(tmp_path: Path) -> None:
    data = parquet_bytes(pa.table({"a": pa.array([], pa.int64())}))
    assert refuse(tmp_path, data, "d.parquet").code == "no_rows"


# --- target, hash, error ------------------------------------------------------------------


def test_require_target_names_a_missing_target_and_suggests_a_close_match() -> None:
    with pytest.raises(TableError) as caught:
        require(pd.DataFrame({"age": [1], "Churned": [0]}), "churned")
    assert caught.value.message == (
        "The target column “churned” is not in the file. Did you mean “Churned”? The columns "
        "are: “age”, “Churned”."
    )
    assert (caught.value.column, caught.value.code) == ("churned", "missing_target")


def test_require_target_refuses_a_target_with_no_values() -> None:
    with pytest.raises(TableError) as caught:
        require(pd.DataFrame({"y": [None, None], "x": [1, 2]}), "y")
    assert (caught.value.column, caught.value.code) == ("y", "empty_target")
    assert "is empty: no row has a value" in caught.value.message


def test_require_target_accepts_a_partly_filled_target() -> None:
    require(pd.DataFrame({"y": [None, 1.0]}), "y")


def test_content_sha256_equals_hashlib_on_the_whole_file(tmp_path: Path) -> None:
    data = np.random.default_rng(1).integers(0, 256, 3 * 1024 * 1024 + 17, dtype=np.uint8).tobytes()
    path = write(tmp_path, data, "blob.bin")
    assert content_sha256(path) == hashlib.sha256(data).hexdigest()


def test_a_table_error_serialises_its_message_row_column_and_code() -> None:
    error = TableError("Line 4 is bad.", row=4, column="x", code="ragged")
    assert str(error) == "Line 4 is bad."
    assert isinstance(error, ValueError)
    assert error.to_dict() == {
        "message": "Line 4 is bad.",
        "row": 4,
        "column": "x",
        "code": "ragged",
    }

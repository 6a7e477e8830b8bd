"""Reading uploaded CSV and Parquet tables safely, with messages that name the line and column.

Uploaded files are data, never code: nothing here unpickles or evaluates anything. Limits
are checked before the expensive work (file size from `os.stat`, Parquet sizes from the
footer), the fast readers (pyarrow) do the parsing, and a slow careful pass runs only after
a failure, to tell the user which line to fix.
"""

import codecs
import csv
import difflib
import hashlib
import io
import os
import re
from dataclasses import dataclass

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

HEAD_BYTES = 64 * 1024
CHUNK_BYTES = 1024 * 1024
DELIMITERS = (",", ";", "\t", "|")
DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}
PARQUET_SUFFIXES = (".parquet", ".pq", ".parq")
SAVE_AS_UTF8 = (
    "Save the file as UTF-8 (in Excel: File → Save As → “CSV UTF-8”) and upload it again."
)
UPLOAD_CSV_OR_PARQUET = "Upload a CSV file saved as UTF-8, or a Parquet file."


class TableError(ValueError):
    """A table that cannot be read, with the line (as an editor counts) and column at fault."""

    def __init__(
        self,
        message: str,
        *,
        row: int | None = None,
        column: str | None = None,
        code: str = "invalid",
    ) -> None:
        super().__init__(message)
        self.message = message
        self.row = row
        self.column = column
        self.code = code

    def to_dict(self) -> dict:
        return {"message": self.message, "row": self.row, "column": self.column, "code": self.code}


@dataclass(frozen=True)
class ReadLimits:
    max_bytes: int = 500 * 1024**2
    max_columns: int = 2_000
    max_parquet_uncompressed_bytes: int = 2 * 1024**3
    max_rows: int | None = None


# Magic bytes of formats people upload by mistake: (prefix, what it is, what to do).
_SIGNATURES: tuple[tuple[bytes, str, str], ...] = (
    (b"%PDF-", "a PDF document", "Export the table itself as CSV."),
    (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
        "an old Excel/Office file (.xls)",
        "Save the sheet as “CSV UTF-8”.",
    ),
    (b"\x1f\x8b", "gzip-compressed", "Decompress it and upload the CSV or Parquet file inside."),
    (b"\xfd7zXZ\x00", "xz-compressed", "Decompress it and upload the CSV or Parquet file inside."),
    (
        b"\x28\xb5\x2f\xfd",
        "zstd-compressed",
        "Decompress it and upload the CSV or Parquet file inside.",
    ),
    (
        b"7z\xbc\xaf\x27\x1c",
        "a 7-Zip archive",
        "Extract it and upload the CSV or Parquet file inside.",
    ),
    (b"Rar!\x1a\x07", "a RAR archive", "Extract it and upload the CSV or Parquet file inside."),
    (b"\x7fELF", "an executable program", UPLOAD_CSV_OR_PARQUET),
    (b"\xfe\xed\xfa\xce", "an executable program", UPLOAD_CSV_OR_PARQUET),
    (b"\xfe\xed\xfa\xcf", "an executable program", UPLOAD_CSV_OR_PARQUET),
    (b"\xce\xfa\xed\xfe", "an executable program", UPLOAD_CSV_OR_PARQUET),
    (b"\xcf\xfa\xed\xfe", "an executable program", UPLOAD_CSV_OR_PARQUET),
    (b"ARROW1", "an Arrow/Feather file", "Save it as Parquet (df.to_parquet) instead."),
    (b"\x93NUMPY", "a NumPy array file", "Save the table as CSV or Parquet instead."),
    (b"\x89HDF\r\n\x1a\n", "an HDF5 file", "Save the table as CSV or Parquet instead."),
    (b"SQLite format 3\x00", "an SQLite database", "Export the table as CSV or Parquet."),
    (b"\x89PNG", "a PNG image", UPLOAD_CSV_OR_PARQUET),
    (b"\xff\xd8\xff", "a JPEG image", UPLOAD_CSV_OR_PARQUET),
    (b"GIF8", "a GIF image", UPLOAD_CSV_OR_PARQUET),
    (b"\xff\xfe", "UTF-16 text", SAVE_AS_UTF8),
    (b"\xfe\xff", "UTF-16 text", SAVE_AS_UTF8),
)
# Extensions that are never a CSV or Parquet table, refused even when the bytes look like text.
_WRONG_SUFFIXES = {
    ".pkl": "a Python pickle",
    ".pickle": "a Python pickle",
    ".joblib": "a joblib/pickle file",
    ".xlsx": "an Excel workbook",
    ".xlsm": "an Excel workbook",
    ".xls": "an Excel workbook",
    ".ods": "a spreadsheet",
    ".json": "JSON",
    ".jsonl": "JSON lines",
    ".ndjson": "JSON lines",
    ".zip": "a ZIP archive",
    ".gz": "a compressed file",
    ".npy": "a NumPy array file",
    ".npz": "a NumPy archive",
    ".h5": "an HDF5 file",
    ".feather": "a Feather file",
}


def _refuse_by_content(head: bytes, filename: str) -> None:
    """Raise for bytes that are plainly not a CSV or Parquet table."""
    # Pickle protocols 2–5 open with PROTO; loading one runs arbitrary code, so say so.
    if len(head) >= 2 and head[0] == 0x80 and 2 <= head[1] <= 5:
        raise TableError(
            f"“{filename}” is a Python pickle, not a table. Pickles can run code when loaded, "
            f"so they are never opened here. {UPLOAD_CSV_OR_PARQUET}",
            code="unsupported_format",
        )
    if head[:4] in (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08"):
        what = (
            "an Excel workbook" if b"xl/" in head or b"[Content_Types]" in head else "a ZIP archive"
        )
        raise TableError(
            f"“{filename}” is {what}, not a CSV or Parquet table. Save the sheet as “CSV UTF-8” "
            "(or extract the table from the archive) and upload that.",
            code="unsupported_format",
        )
    if head[:2] == b"MZ" and b"\x00" in head[:64]:
        raise TableError(
            f"“{filename}” is an executable program, not a table. {UPLOAD_CSV_OR_PARQUET}",
            code="unsupported_format",
        )
    for prefix, what, todo in _SIGNATURES:
        if head.startswith(prefix):
            raise TableError(
                f"“{filename}” is {what}, not a CSV or Parquet table. {todo}",
                code="encoding" if todo == SAVE_AS_UTF8 else "unsupported_format",
            )
    sample = head[:8192]
    nuls = sample.count(0)
    if (
        nuls
        and nuls >= 0.3 * len(sample)
        and (sample[0::2].count(0) == 0 or sample[1::2].count(0) == 0)
    ):
        raise TableError(f"“{filename}” looks like UTF-16 text. {SAVE_AS_UTF8}", code="encoding")
    # Text never holds NUL and rarely other control bytes; random or binary data does.
    controls = sum(sample.count(b) for b in (*range(0, 9), 11, *range(14, 32), 127))
    if nuls >= 0.01 * len(sample) or controls >= 0.1 * len(sample):
        raise TableError(
            f"“{filename}” looks binary, not like a CSV text table "
            f"({controls} control bytes in the first {len(sample)}). {UPLOAD_CSV_OR_PARQUET}",
            code="unsupported_format",
        )


def detect_format(head: bytes, filename: str) -> str:
    """“csv” or “parquet” from the first bytes and the name; TableError for anything else."""
    if not head.strip(b"\xef\xbb\xbf \t\r\n"):
        raise TableError(
            f"“{filename}” is empty. Upload a file with a header line and data rows.", code="empty"
        )
    suffix = os.path.splitext(filename.lower())[1]
    if head.startswith(b"PAR1"):
        if suffix in (".csv", ".tsv", ".txt"):
            raise TableError(
                f"“{filename}” is a Parquet file, but its name ends in {suffix}. Rename it to "
                "end in .parquet and upload it again.",
                code="misnamed",
            )
        return "parquet"
    _refuse_by_content(head, filename)
    if suffix in _WRONG_SUFFIXES:
        raise TableError(
            f"“{filename}” is named like {_WRONG_SUFFIXES[suffix]}, not a CSV or Parquet table. "
            f"{UPLOAD_CSV_OR_PARQUET}",
            code="unsupported_format",
        )
    if suffix in PARQUET_SUFFIXES:
        raise TableError(
            f"“{filename}” is named like a Parquet file but its content is text. If it is a "
            "CSV, rename it to end in .csv and upload it again.",
            code="misnamed",
        )
    return "csv"


def read_table(
    path: str | os.PathLike[str], *, filename: str, limits: ReadLimits = ReadLimits()
) -> pd.DataFrame:
    """Read an uploaded CSV or Parquet file into a DataFrame, or raise TableError saying why not."""
    size = os.stat(path).st_size
    if size == 0:
        raise TableError(
            f"“{filename}” is empty. Upload a file with a header line and data rows.", code="empty"
        )
    if size > limits.max_bytes:
        raise TableError(
            f"“{filename}” is {_mib(size)}; the limit is {_mib(limits.max_bytes)}. Upload a "
            "sample, split the file, or save it as Parquet, which is usually much smaller.",
            code="too_large",
        )
    with open(path, "rb") as handle:
        head = handle.read(HEAD_BYTES)
    if detect_format(head, filename) == "parquet":
        frame = _read_parquet(path, filename, limits)
    else:
        frame = _read_csv(path, filename, head, size, limits)
    if limits.max_rows is not None and len(frame) > limits.max_rows:
        raise TableError(
            f"“{filename}” has {len(frame):,} rows; the limit is {limits.max_rows:,}. "
            "Upload a sample.",
            code="too_many_rows",
        )
    return frame


def require_target(df: pd.DataFrame, target: str) -> None:
    """Raise TableError naming the target column when it is missing or holds no value."""
    if target not in df.columns:
        names = [str(c) for c in df.columns]
        close = difflib.get_close_matches(target, names, n=1, cutoff=0.6)
        close += [
            n for n in names if n.strip().lower() == target.strip().lower() and n not in close
        ]
        hint = f" Did you mean “{close[0]}”?" if close else ""
        listed = ", ".join(f"“{n}”" for n in names[:20]) + (" …" if len(names) > 20 else "")
        raise TableError(
            f"The target column “{target}” is not in the file.{hint} The columns are: {listed}.",
            column=target,
            code="missing_target",
        )
    if not df[target].notna().any():
        raise TableError(
            f"The target column “{target}” is empty: no row has a value. Fill in the outcome for "
            "the labelled rows and upload the file again.",
            column=target,
            code="empty_target",
        )


def content_sha256(path: str | os.PathLike[str]) -> str:
    """SHA-256 of the file's bytes, read in 1 MiB chunks so memory stays flat."""
    digest = hashlib.sha256()
    buffer = bytearray(CHUNK_BYTES)
    view = memoryview(buffer)
    with open(path, "rb") as handle:
        while count := handle.readinto(buffer):
            digest.update(view[:count])
    return digest.hexdigest()


def _mib(size: int) -> str:
    return f"{size / 1024**2:,.1f} MiB" if size >= 1024**2 else f"{size:,} bytes"


# --- CSV --------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Dialect:
    delimiter: str
    decimal_point: str
    header: list[str]
    header_line: int


def _read_csv(
    path: str | os.PathLike[str], filename: str, head: bytes, size: int, limits: ReadLimits
) -> pd.DataFrame:
    dialect = _sniff(path, head, size)
    _check_names(dialect.header, dialect.header_line, limits)
    # A quote anywhere means a quoted value may hold a newline; pyarrow then needs the
    # slower chunker that respects quotes, otherwise a block boundary could split a row.
    has_quotes = _contains(path, b'"')
    parse = pa_csv.ParseOptions(delimiter=dialect.delimiter, newlines_in_values=has_quotes)
    convert = pa_csv.ConvertOptions(strings_can_be_null=True, decimal_point=dialect.decimal_point)
    block = 1 << 20
    while True:
        try:
            table = pa_csv.read_csv(
                path,
                read_options=pa_csv.ReadOptions(block_size=block),
                parse_options=parse,
                convert_options=convert,
            )
            break
        except UnicodeDecodeError as exc:
            raise _encoding_error(path, dialect) from exc
        except pa.ArrowInvalid as exc:
            # A single row longer than a block: retry once with a block as big as the file.
            if "straddl" in str(exc) and block < size:
                block = min(size + 1, 2**31 - 1)
                continue
            if "Empty CSV file" in str(exc):  # a header line with nothing after it
                raise _no_rows(filename, len(dialect.header), dialect.header_line) from exc
            raise _locate_csv_error(path, dialect, str(exc)) from exc
    if any(pa.types.is_binary(t) or pa.types.is_large_binary(t) for t in table.schema.types):
        raise _encoding_error(path, dialect)
    _check_names(table.column_names, dialect.header_line, limits)
    if table.num_rows == 0:
        raise _no_rows(filename, table.num_columns, dialect.header_line)
    return _to_pandas(table)


def _contains(path: str | os.PathLike[str], needle: bytes) -> bool:
    """Whether a one-byte needle occurs in the file, read in chunks (memory stays flat)."""
    buffer = bytearray(8 * CHUNK_BYTES)
    with open(path, "rb") as handle:
        while count := handle.readinto(buffer):
            if buffer.find(needle, 0, count) >= 0:
                return True
    return False


def _no_rows(filename: str, columns: int, header_line: int) -> TableError:
    return TableError(
        f"“{filename}” has a header ({columns} column{'s' if columns != 1 else ''}) but no "
        "data rows. Add the rows below the header line.",
        row=header_line + 1,
        code="no_rows",
    )


def _sniff(path: str | os.PathLike[str], head: bytes, size: int) -> _Dialect:
    """The delimiter, decimal mark and header from the first bytes of the file."""
    sample = head
    if b"\n" not in head.lstrip(b"\r\n") and size > len(head):
        # A very wide header: read on until its end (bounded, the column limit applies).
        with open(path, "rb") as handle:
            sample = handle.read(16 * CHUNK_BYTES)
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        text = decoder.decode(sample, final=len(sample) >= size)
        valid = True
    except UnicodeDecodeError:
        # Still guess the delimiter, so the error can name the column as well as the line.
        text, valid = sample.decode("utf-8", "replace"), False
    text = text.removeprefix("\ufeff")
    if len(sample) < size:
        # Drop the last, probably cut, line so it does not look ragged.
        cut = max(text.rfind("\n"), text.rfind("\r"))
        text = text[: cut + 1] if cut > 0 else text
    candidates = []
    for priority, delimiter in enumerate(DELIMITERS):
        records = _records(text, delimiter, limit=200)
        if not records:
            raise TableError("The file has no content, only blank lines.", code="empty")
        header = records[0][1]
        agreeing = sum(len(fields) == len(header) for _, fields in records) / len(records)
        # Any real split beats none; then the delimiter most rows agree with the header on.
        candidates.append(((len(header) > 1, agreeing, len(header), -priority), delimiter, records))
    _, delimiter, records = max(candidates, key=lambda candidate: candidate[0])
    header_line, header = records[0]
    # Semicolon files from European spreadsheets often write decimals with a comma.
    values = [v.strip() for _, fields in records[1:] for v in fields]
    comma = sum(bool(re.fullmatch(r"[-+]?\d+,\d+", v)) for v in values)
    point = sum(bool(re.fullmatch(r"[-+]?\d*\.\d+", v)) for v in values)
    decimal_point = "," if delimiter != "," and comma > point else "."
    dialect = _Dialect(delimiter, decimal_point, header, header_line)
    if not valid:
        raise _encoding_error(path, dialect)
    return dialect


def _records(text: str, delimiter: str, *, limit: int) -> list[tuple[int, list[str]]]:
    """Non-empty CSV records with the editor line number each starts on."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    out = []
    line = 0
    try:
        while len(out) < limit:
            fields = next(reader, None)
            if fields is None:
                break
            if fields:
                out.append((line + 1, fields))
            line = reader.line_num
    except csv.Error:
        pass  # the sample is a guess; the full read reports real problems
    return out


def _check_names(names: list[str], header_line: int, limits: ReadLimits) -> None:
    if len(names) > limits.max_columns:
        raise TableError(
            f"The header (line {header_line}) has {len(names):,} columns; the limit is "
            f"{limits.max_columns:,}. Drop unused columns, or check the delimiter.",
            row=header_line,
            code="too_many_columns",
        )
    blank = [i + 1 for i, name in enumerate(names) if not str(name).strip()]
    if blank:
        where = ", ".join(str(i) for i in blank)
        hint = (
            " An unnamed first column is usually a saved row index: save without it "
            "(df.to_csv(..., index=False))."
            if blank == [1]
            else ""
        )
        raise TableError(
            f"Column {where} of the header (line {header_line}) has no name. Give every column "
            f"a name.{hint}",
            row=header_line,
            code="empty_column_name",
        )
    seen: dict[str, list[int]] = {}
    for i, name in enumerate(names):
        seen.setdefault(str(name), []).append(i + 1)
    for name, positions in seen.items():
        if len(positions) > 1:
            raise TableError(
                f"The column name “{name}” appears {len(positions)} times in the header (line "
                f"{header_line}, columns {', '.join(map(str, positions))}). Column names must be "
                "unique: rename the copies.",
                row=header_line,
                column=name,
                code="duplicate_column",
            )


def _locate_csv_error(path: str | os.PathLike[str], dialect: _Dialect, detail: str) -> TableError:
    """Walk the file with the standard csv module to find the line pyarrow refused."""
    expected = len(dialect.header)
    name = DELIMITER_NAMES[dialect.delimiter]
    line = 0
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            reader = csv.reader(handle, delimiter=dialect.delimiter)
            for fields in reader:
                start, line = line + 1, reader.line_num
                if not fields or len(fields) == expected:
                    continue
                found = len(fields)
                why = (
                    f"A value probably holds a {name} (“{dialect.delimiter}”) without quotes "
                    "around it; put such values in double quotes"
                    if found > expected
                    else "A value is probably missing; write an empty value as nothing between "
                    f"two delimiters (“{dialect.delimiter}{dialect.delimiter}”)"
                )
                if line > start:
                    why = f"The record runs on to line {line}: probably an unclosed double quote"
                return TableError(
                    f"Line {start} has {found} field{'s' if found != 1 else ''} but the header "
                    f"(line {dialect.header_line}) has {expected}. {why}.",
                    row=start,
                    code="ragged",
                )
    except UnicodeDecodeError:
        return _encoding_error(path, dialect)
    except csv.Error as exc:
        return TableError(
            f"Line {line + 1} cannot be read as CSV: {exc}.", row=line + 1, code="invalid"
        )
    return TableError(f"The file cannot be read as CSV: {detail}", code="invalid")


def _encoding_error(path: str | os.PathLike[str], dialect: _Dialect) -> TableError:
    """The first line that is not valid UTF-8, with the byte and the column it sits in."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    done = 0
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK_BYTES):
            pending = len(decoder.getstate()[0])
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as exc:
                offset = done - pending + exc.start
                break
            done += len(chunk)
        else:
            return TableError(f"The file is not valid UTF-8 text. {SAVE_AS_UTF8}", code="encoding")
        handle.seek(0)
        before = handle.read(offset)
        bad = handle.read(1)
        rest = handle.readline()
    line = _line_of_offset(before, len(before))
    line_start = max(before.rfind(b"\n"), before.rfind(b"\r")) + 1
    raw = before[line_start:] + bad + rest
    column = None
    text = raw.decode("utf-8", "replace").replace("\r", "\n").split("\n")[0]
    try:
        fields = next(csv.reader([text], delimiter=dialect.delimiter), [])
    except csv.Error:
        fields = []  # naming the column is a courtesy; the line number is what matters
    for i, field in enumerate(fields):
        if "\ufffd" in field and i < len(dialect.header) and line > dialect.header_line:
            column = dialect.header[i]
            break
    where = f", column “{column}”," if column else ""
    return TableError(
        f"Line {line}{where} is not valid UTF-8 text (byte 0x{bad[0]:02X}, which is "
        f"“{_cp1252(bad)}” in Windows-1252/Latin-1). {SAVE_AS_UTF8}",
        row=line,
        column=column,
        code="encoding",
    )


def _line_of_offset(data: bytes, offset: int) -> int:
    """Editor line number (from 1) of a byte offset, counting \\n, \\r\\n and a lone \\r."""
    prefix = data[:offset]
    return 1 + prefix.count(b"\n") + prefix.count(b"\r") - prefix.count(b"\r\n")


def _cp1252(byte: bytes) -> str:
    return byte.decode("cp1252", "replace")


# --- Parquet ----------------------------------------------------------------------------


def _read_parquet(path: str | os.PathLike[str], filename: str, limits: ReadLimits) -> pd.DataFrame:
    try:
        parquet = pq.ParquetFile(path)
        meta = parquet.metadata
        schema = parquet.schema_arrow
    except (pa.ArrowException, OSError) as exc:
        raise TableError(
            f"“{filename}” is not a readable Parquet file ({exc}). Write it again (e.g. "
            "df.to_parquet) and upload the new file.",
            code="corrupt",
        ) from exc
    if meta.num_columns > limits.max_columns:
        raise TableError(
            f"“{filename}” has {meta.num_columns:,} columns; the limit is {limits.max_columns:,}. "
            "Drop unused columns.",
            code="too_many_columns",
        )
    # The footer declares the uncompressed size; refuse a decompression bomb before reading.
    declared = sum(meta.row_group(i).total_byte_size for i in range(meta.num_row_groups))
    if declared > limits.max_parquet_uncompressed_bytes:
        raise TableError(
            f"“{filename}” holds {_mib(declared)} of data once decompressed; the limit is "
            f"{_mib(limits.max_parquet_uncompressed_bytes)}. Upload a sample or fewer columns.",
            code="too_large",
        )
    if limits.max_rows is not None and meta.num_rows > limits.max_rows:
        raise TableError(
            f"“{filename}” has {meta.num_rows:,} rows; the limit is {limits.max_rows:,}. "
            "Upload a sample.",
            code="too_many_rows",
        )
    names = [n for n in schema.names if not re.fullmatch(r"__index_level_\d+__", n)]
    _check_names(names, 1, limits)
    for field in schema:
        if pa.types.is_nested(field.type):
            raise TableError(
                f"Column “{field.name}” holds nested values ({field.type}); only flat columns of "
                "numbers, text, booleans and dates can be read. Flatten it or drop it.",
                column=field.name,
                code="unsupported_type",
            )
    if meta.num_rows == 0:
        raise TableError(f"“{filename}” has columns but no data rows.", code="no_rows")
    batches = []
    materialised = 0
    try:
        # Dictionary-encoded values can expand far beyond the declared size, so the
        # in-memory size is counted batch by batch too, against the same budget.
        for batch in parquet.iter_batches(batch_size=256 * 1024, columns=names):
            materialised += batch.nbytes
            if materialised > limits.max_parquet_uncompressed_bytes:
                raise TableError(
                    f"“{filename}” expands to more than "
                    f"{_mib(limits.max_parquet_uncompressed_bytes)} in memory. Upload a sample "
                    "or fewer columns.",
                    code="too_large",
                )
            batches.append(batch)
    except (pa.ArrowException, OSError) as exc:
        raise TableError(
            f"“{filename}” is damaged: its data could not be decoded ({exc}). Write it again "
            "and upload the new file.",
            code="corrupt",
        ) from exc
    table = pa.Table.from_batches(batches, schema=batches[0].schema)
    del batches
    for i, field in enumerate(table.schema):
        if pa.types.is_binary(field.type) or pa.types.is_large_binary(field.type):
            try:
                table = table.set_column(i, field.name, pc.cast(table.column(i), pa.string()))
            except pa.ArrowInvalid as exc:
                raise TableError(
                    f"Column “{field.name}” holds raw bytes that are not UTF-8 text. Store it as "
                    "text or drop it.",
                    column=field.name,
                    code="unsupported_type",
                ) from exc
    return _to_pandas(table)


# --- both -------------------------------------------------------------------------------


def _to_pandas(table: pa.Table) -> pd.DataFrame:
    """Plain pandas columns: numbers, nullable booleans, datetimes, str; odd types simplified."""
    for i, field in enumerate(table.schema):
        kind = field.type
        if pa.types.is_decimal(kind):
            target = pa.float64()
        elif pa.types.is_null(kind) or pa.types.is_time(kind):
            target = pa.string()
        elif pa.types.is_duration(kind):
            # Durations become seconds: a number the profile can summarise.
            seconds = pc.divide(
                pc.cast(table.column(i), pa.int64()).cast(pa.float64()), _duration_scale(kind)
            )
            table = table.set_column(i, field.name, seconds)
            continue
        else:
            continue
        table = table.set_column(i, field.name, pc.cast(table.column(i), target))
    # The parser's scratch memory stays with Arrow's allocator unless handed back; a worker
    # that read one big upload should not hold that peak for the rest of its life.
    pool = pa.default_memory_pool()
    pool.release_unused()
    frame = table.to_pandas(
        types_mapper={pa.bool_(): pd.BooleanDtype()}.get,
        date_as_object=False,
        ignore_metadata=True,
        split_blocks=True,
        self_destruct=True,
    )
    del table
    pool.release_unused()
    return frame


def _duration_scale(kind: pa.DataType) -> float:
    return {"s": 1.0, "ms": 1e3, "us": 1e6, "ns": 1e9}[kind.unit]

"""CSV reading: dialect sniffing, the fast pyarrow path, and locating the line at fault."""

import codecs
import csv
import io
import os
import re
from dataclasses import dataclass

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pa_csv

from mlcore.tabular.arrow_types import _to_pandas
from mlcore.tabular.common import (
    CHUNK_BYTES,
    DELIMITER_NAMES,
    DELIMITERS,
    SAVE_AS_UTF8,
    ReadLimits,
    TableError,
    _check_names,
)


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

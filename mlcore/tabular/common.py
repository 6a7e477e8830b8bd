"""Shared pieces of table reading: limits, the error type, column-name checks, hashing."""

import difflib
import hashlib
import os
from dataclasses import dataclass

import pandas as pd

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

    def located_message(self) -> str:
        """The message prefixed with where: "Line 5, column “score”: …"."""
        where = []
        if self.row is not None:
            where.append(f"line {self.row}")
        if self.column:
            where.append(f"column “{self.column}”")
        prefix = f"{', '.join(where).capitalize()}: " if where else ""
        return f"{prefix}{self.message}"

    def to_dict(self) -> dict:
        return {"message": self.message, "row": self.row, "column": self.column, "code": self.code}


@dataclass(frozen=True)
class ReadLimits:
    max_bytes: int = 500 * 1024**2
    max_columns: int = 2_000
    max_parquet_uncompressed_bytes: int = 2 * 1024**3
    max_rows: int | None = None


# The limits when a caller passes none (a frozen instance, safe to share).
DEFAULT_LIMITS = ReadLimits()


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

"""What a file really is, judged from its first bytes and its name."""

import os

from mlcore.tabular.common import PARQUET_SUFFIXES, SAVE_AS_UTF8, UPLOAD_CSV_OR_PARQUET, TableError

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

"""Parquet reading within a decompressed-size budget."""

import os
import re

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from mlcore.tabular.arrow_types import _to_pandas
from mlcore.tabular.common import ReadLimits, TableError, _check_names, _mib


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

"""Arrow tables to plain pandas columns (decimals, durations, times, saved indexes)."""

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc


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

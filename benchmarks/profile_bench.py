"""Reading, profiling and drift on a million rows: mlcore beside a plain pyarrow read and
pandas' describe() + value_counts() on the same data.

python benchmarks/profile_bench.py [--rows 1000000] [--repeats 3]

Peak memory is the growth of resident memory (RSS, /proc VmHWM after resetting it through
/proc/self/clear_refs) in a fresh child process, over its RSS once the libraries are
imported. RSS rather than tracemalloc, because Arrow allocates from its own memory pool,
which tracemalloc never sees.
"""

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from mlcore.drift import drift_report  # noqa: E402
from mlcore.profile import profile_table  # noqa: E402
from mlcore.tabular import read_table  # noqa: E402

TARGET = "label"


def median_seconds(fn: Callable[[], object], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def make_table(rows: int, seed: int = 0) -> pa.Table:
    """20 columns: 11 floats and 5 text columns with gaps, two integers, an id, a label."""
    rng = np.random.default_rng(seed)
    columns: dict[str, pa.Array] = {}
    for i in range(11):
        values = rng.normal(i, 1 + i, rows).round(3)
        columns[f"num{i}"] = pa.array(values, mask=rng.random(rows) < 0.05)
    columns["visits"] = pa.array(rng.poisson(3, rows))
    columns["customer_id"] = pa.array(rng.permutation(rows) + 100_000)
    words = np.array(["alpha", "beta", "gamma", "delta", "epsilon", "zeta"])
    for i in range(4):
        labels = words[rng.integers(0, 6 - i, rows)]
        columns[f"cat{i}"] = pa.array(labels, mask=rng.random(rows) < 0.03)
    cities = np.array([f"city_{k:03d}" for k in range(500)])
    columns["city"] = pa.array(cities[rng.integers(0, 500, rows)])
    columns["plan"] = pa.array(rng.choice(["free", "pro", "team"], rows, p=[0.7, 0.25, 0.05]))
    columns[TARGET] = pa.array((rng.random(rows) < 0.2).astype(np.int64))
    return pa.table(columns)


def memory_child(path: str, filename: str) -> None:
    """Run in a fresh process: peak RSS growth while reading and profiling, in bytes."""

    def rss(field: str) -> int:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field):
                return int(line.split()[1]) * 1024
        raise RuntimeError(f"{field} not in /proc/self/status")

    def reset_peak() -> bool:
        try:
            Path("/proc/self/clear_refs").write_text("5")  # VmHWM := VmRSS
        except OSError:
            return False
        return True

    resettable = reset_peak()
    base = rss("VmRSS")
    if filename == "plain":
        frame = pa_csv.read_csv(path).to_pandas()
        print(json.dumps({"read": rss("VmHWM") - base}))
        return
    frame = read_table(path, filename=filename)
    read_peak = rss("VmHWM") - base
    reset_peak()
    profile_table(frame, target=TARGET)
    print(
        json.dumps(
            {
                "read": read_peak,
                "profile": rss("VmHWM") - base,
                "table": int(frame.memory_usage(deep=True).sum()),
                "resettable": resettable,
            }
        )
    )


def child_memory(path: Path, filename: str) -> dict:
    command = [sys.executable, __file__, "--memory-child", str(path), filename]
    return json.loads(subprocess.run(command, check=True, capture_output=True, text=True).stdout)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--memory-child", nargs=2, metavar=("PATH", "FILENAME"))
    args = parser.parse_args()
    if args.memory_child:
        memory_child(*args.memory_child)
        return

    table = make_table(args.rows)
    with tempfile.TemporaryDirectory() as folder:
        csv_path, parquet_path = Path(folder) / "table.csv", Path(folder) / "table.parquet"
        pa_csv.write_csv(table, csv_path)
        pq.write_table(table, parquet_path)
        del table
        frame = pa_csv.read_csv(csv_path).to_pandas()
        text = [c for c in frame.columns if not pd.api.types.is_numeric_dtype(frame[c])]

        def describe() -> None:
            frame.describe()
            for name in text:
                frame[name].value_counts()

        r = args.repeats
        timings = {
            "pyarrow read CSV → DataFrame": median_seconds(
                lambda: pa_csv.read_csv(csv_path).to_pandas(), r
            ),
            "pyarrow read Parquet → DataFrame": median_seconds(
                lambda: pq.read_table(parquet_path).to_pandas(), r
            ),
            "pandas describe() + value_counts()": median_seconds(describe, r),
            "mlcore read_table CSV": median_seconds(
                lambda: read_table(csv_path, filename="table.csv"), r
            ),
            "mlcore read_table Parquet": median_seconds(
                lambda: read_table(parquet_path, filename="table.parquet"), r
            ),
            "mlcore profile_table": median_seconds(lambda: profile_table(frame, target=TARGET), r),
        }
        memory = child_memory(csv_path, "table.csv")
        plain_memory = child_memory(csv_path, "plain")
        sizes = (csv_path.stat().st_size, parquet_path.stat().st_size)

    rng = np.random.default_rng(1)
    reference = pd.DataFrame({"x": rng.normal(0, 1, 1_000_000)})
    stable = pd.DataFrame({"x": rng.normal(0, 1, 1_000_000)})
    shifted = pd.DataFrame({"x": rng.normal(0.05, 1.05, 1_000_000)})
    drift_ms = {
        "stable": 1000 * median_seconds(lambda: drift_report(reference, stable), max(r, 5)),
        "shifted": 1000 * median_seconds(lambda: drift_report(reference, shifted), max(r, 5)),
    }

    baseline = (
        timings["pyarrow read CSV → DataFrame"] + timings["pandas describe() + value_counts()"]
    )
    ours = timings["mlcore read_table CSV"] + timings["mlcore profile_table"]
    baseline_pq = (
        timings["pyarrow read Parquet → DataFrame"] + timings["pandas describe() + value_counts()"]
    )
    ours_pq = timings["mlcore read_table Parquet"] + timings["mlcore profile_table"]
    peak = max(memory["read"], memory["profile"])

    print(
        f"{args.rows:,} rows × 20 columns; CSV {sizes[0] / 1e6:.0f} MB, Parquet "
        f"{sizes[1] / 1e6:.0f} MB, in memory {memory['table'] / 1e6:.0f} MB "
        f"(median of {r})"
    )
    print(f"{'step':<40}{'seconds':>10}")
    for name, seconds in timings.items():
        print(f"{name:<40}{seconds:>10.3f}")
    print(f"{'read + profile vs read + describe, CSV':<40}{ours / baseline:>9.2f}x")
    print(f"{'read + profile vs read + describe, Parquet':<40}{ours_pq / baseline_pq:>9.2f}x")
    how = "VmHWM reset per step" if memory["resettable"] else "VmHWM since start (not resettable)"
    print(f"peak RSS growth in a fresh process ({how}):")
    print(f"{'  plain pyarrow read CSV → DataFrame':<40}{plain_memory['read'] / 1e6:>9.0f} MB")
    print(f"{'  during read_table CSV':<40}{memory['read'] / 1e6:>9.0f} MB")
    print(f"{'  during profile_table (table included)':<40}{memory['profile'] / 1e6:>9.0f} MB")
    print(f"{'  peak vs table size':<40}{peak / memory['table']:>9.2f}x")
    print("drift of one numeric column, 1M vs 1M rows (PSI + KS, drift_report):")
    for name, ms in drift_ms.items():
        print(f"{'  ' + name:<40}{ms:>9.1f} ms")
    print(
        f"RESULT profile_vs_read_describe={ours / baseline:.2f} "
        f"peak_mem_vs_table={peak / memory['table']:.2f} drift_1m_ms={max(drift_ms.values()):.1f}"
    )


if __name__ == "__main__":
    main()

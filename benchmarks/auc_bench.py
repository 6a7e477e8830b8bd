"""ROC AUC from one sort (mlcore) beside scikit-learn and a bare np.sort of the scores.

python benchmarks/auc_bench.py [--rows 1000000] [--repeats 5]
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

import numpy as np
from sklearn.metrics import roc_auc_score

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from mlcore.metrics import roc_auc  # noqa: E402


def median_seconds(fn, repeats: int) -> float:  # noqa: ANN001
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, args.rows)
    scores = np.clip(rng.normal(0.35 + 0.3 * y, 0.2), 0, 1).round(4)  # realistic ties

    diff = abs(roc_auc(y, scores) - roc_auc_score(y, scores))
    ours = median_seconds(lambda: roc_auc(y, scores), args.repeats)
    sk = median_seconds(lambda: roc_auc_score(y, scores), args.repeats)
    sort = median_seconds(lambda: np.sort(scores), args.repeats)

    print(f"ROC AUC on {args.rows:,} rows (median of {args.repeats})")
    print(f"{'method':<28}{'seconds':>10}{'vs mlcore':>12}")
    for name, secs in [
        ("mlcore.metrics.roc_auc", ours),
        ("sklearn roc_auc_score", sk),
        ("np.sort(scores)", sort),
    ]:
        print(f"{name:<28}{secs:>10.4f}{secs / ours:>11.2f}x")
    print(f"largest difference from scikit-learn: {diff:.1e}")
    print(
        f"RESULT auc_speedup_vs_sklearn={sk / ours:.2f} auc_vs_sort={ours / sort:.2f} "
        f"max_abs_diff={diff:.1e}"
    )


if __name__ == "__main__":
    main()

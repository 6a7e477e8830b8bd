"""Binary evaluation suite (mlcore.evaluation) beside scikit-learn's calls and one np.sort.

python benchmarks/eval_bench.py [--sizes 1000000 10000000] [--repeats 3] [--replicates 1000]
"""

import argparse
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np
from sklearn import metrics as skm

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from mlcore.costs import DecisionCosts  # noqa: E402
from mlcore.evaluation import bootstrap_binary, evaluate_binary  # noqa: E402

COSTS = DecisionCosts(cost_fp=1.0, cost_fn=5.0, value_tp=0.5)


def median_seconds(fn, repeats: int) -> float:  # noqa: ANN001
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def sklearn_suite(y: np.ndarray, s: np.ndarray) -> None:
    """The same metrics through scikit-learn (sweep via roc/pr curves, cost from the ROC)."""
    p = s >= 0.5
    skm.accuracy_score(y, p)
    skm.balanced_accuracy_score(y, p)
    skm.precision_score(y, p)
    skm.recall_score(y, p)
    skm.recall_score(y, p, pos_label=0)
    skm.f1_score(y, p)
    skm.confusion_matrix(y, p)
    skm.roc_auc_score(y, s)
    skm.average_precision_score(y, s)
    skm.log_loss(y, s)
    skm.brier_score_loss(y, s)
    fpr, tpr, _ = skm.roc_curve(y, s, drop_intermediate=False)
    skm.precision_recall_curve(y, s)
    prevalence = y.mean()
    np.argmin(prevalence * (1 - tpr) * 5.0 + (1 - prevalence) * fpr * 1.0)


def data(rows: int, decimals: int | None = 4) -> tuple[np.ndarray, np.ndarray]:
    """Scores rounded to 4 decimals (realistic ties) or continuous (decimals=None)."""
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, rows)
    s = np.clip(rng.normal(0.35 + 0.3 * y, 0.2), 0, 1)
    return y, s if decimals is None else s.round(decimals)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs=2, default=[1_000_000, 10_000_000])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--replicates", type=int, default=1000)
    args = parser.parse_args()
    result = {}
    print(
        f"{'rows':>12}{'mlcore s':>11}{'sklearn s':>11}{'np.sort s':>11}"
        f"{'vs sklearn':>12}{'vs sort':>9}{'peak/arrays':>13}"
    )
    for rows in args.sizes:
        y, s = data(rows)
        ours = median_seconds(lambda: evaluate_binary(y, s, costs=COSTS), args.repeats)  # noqa: B023
        sk = median_seconds(lambda: sklearn_suite(y, s), 1)  # noqa: B023
        sort = median_seconds(lambda: np.sort(s), args.repeats)  # noqa: B023
        tracemalloc.start()
        evaluate_binary(y, s, costs=COSTS)
        peak = tracemalloc.get_traced_memory()[1] / (y.nbytes + s.nbytes)
        tracemalloc.stop()
        print(
            f"{rows:>12,}{ours:>11.3f}{sk:>11.3f}{sort:>11.4f}"
            f"{sk / ours:>11.1f}x{ours / sort:>8.1f}x{peak:>12.2f}x"
        )
        result[rows] = (sk / ours, ours / sort, peak)
    boots = []
    for label, decimals in (("tied (4 decimals)", 4), ("continuous", None)):
        y, s = data(args.sizes[0], decimals)
        seconds = median_seconds(
            lambda: bootstrap_binary(y, s, costs=COSTS, replicates=args.replicates),  # noqa: B023
            1,
        )
        boots.append(seconds)
        print(
            f"bootstrap {args.replicates} replicates on {args.sizes[0]:,} {label} scores: "
            f"{seconds:.2f} s"
        )
    boot = max(boots)  # the worse of the tied and continuous cases
    small, large = result[args.sizes[0]], result[args.sizes[1]]
    print(
        f"RESULT speedup_vs_sklearn_1m={small[0]:.1f} speedup_vs_sklearn_10m={large[0]:.1f} "
        f"vs_sort_10m={large[1]:.2f} peak_mem_vs_arrays_10m={large[2]:.2f} "
        f"bootstrap_1m_s={boot:.2f}"
    )


if __name__ == "__main__":
    main()

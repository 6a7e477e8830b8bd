"""Plotly figures for a run page, from the stored evaluation (no ORM)."""

import plotly.graph_objects as go

BLUE = "#206bc4"
GREEN = "#2fb344"
ORANGE = "#f76707"
GREY = "#adb5bd"
FONT = {"family": "system-ui, -apple-system, Segoe UI, sans-serif", "size": 12}


def _layout(figure: go.Figure, height: int = 300, **extra: object) -> go.Figure:
    figure.update_layout(
        height=height,
        margin={"l": 48, "r": 16, "t": 16, "b": 40},
        plot_bgcolor="white",
        paper_bgcolor="white",
        font=FONT,
        legend={"orientation": "h", "y": -0.25},
        **extra,
    )
    figure.update_xaxes(automargin=True, gridcolor="#eef1f4", zeroline=False)
    figure.update_yaxes(automargin=True, gridcolor="#eef1f4", zeroline=False)
    return figure


def _nearest_index(thresholds: list[float], value: float) -> int:
    return min(range(len(thresholds)), key=lambda i: abs(thresholds[i] - value))


def roc_figure(curve: dict, roc_auc: float | None, threshold: float) -> go.Figure:
    """ROC curve with the chance diagonal and the operating point."""
    fpr, tpr = [0.0, *curve["fpr"]], [0.0, *curve["tpr"]]
    k = _nearest_index(curve["thresholds"], threshold)
    figure = go.Figure()
    figure.add_scatter(
        x=[0, 1], y=[0, 1], mode="lines", line={"color": GREY, "dash": "dot"}, name="Chance"
    )
    label = f"ROC (AUC {roc_auc:.3f})" if roc_auc is not None else "ROC"
    figure.add_scatter(
        x=fpr,
        y=tpr,
        mode="lines",
        line={"color": BLUE, "shape": "hv"},
        name=label,
        hovertemplate="FPR %{x:.3f} · TPR %{y:.3f}<extra></extra>",
    )
    figure.add_scatter(
        x=[curve["fpr"][k]],
        y=[curve["tpr"][k]],
        mode="markers",
        marker={"color": ORANGE, "size": 10},
        name=f"Threshold {threshold:.2f}",
    )
    return _layout(
        figure,
        xaxis={"title": "False positive rate", "range": [0, 1]},
        yaxis={"title": "True positive rate", "range": [0, 1.02]},
    )


def pr_figure(curve: dict, pr_auc: float | None, prevalence: float, threshold: float) -> go.Figure:
    """Precision–recall curve with the prevalence baseline and the operating point."""
    k = _nearest_index(curve["thresholds"], threshold)
    figure = go.Figure()
    figure.add_scatter(
        x=[0, 1],
        y=[prevalence, prevalence],
        mode="lines",
        line={"color": GREY, "dash": "dot"},
        name=f"Prevalence {prevalence:.3f}",
    )
    label = f"PR (AP {pr_auc:.3f})" if pr_auc is not None else "PR"
    figure.add_scatter(
        x=curve["tpr"],
        y=curve["precision"],
        mode="lines",
        line={"color": BLUE, "shape": "vh"},
        name=label,
        hovertemplate="Recall %{x:.3f} · precision %{y:.3f}<extra></extra>",
    )
    figure.add_scatter(
        x=[curve["tpr"][k]],
        y=[curve["precision"][k]],
        mode="markers",
        marker={"color": ORANGE, "size": 10},
        name=f"Threshold {threshold:.2f}",
    )
    return _layout(
        figure,
        xaxis={"title": "Recall", "range": [0, 1]},
        yaxis={"title": "Precision", "range": [0, 1.02]},
    )


def cost_figure(curve: dict, cost: dict, threshold: float, currency: str) -> go.Figure:
    """Expected cost per decision against the threshold, with the three thresholds marked."""
    figure = go.Figure(
        go.Scatter(
            x=curve["thresholds"],
            y=curve["cost_per_decision"],
            mode="lines",
            line={"color": BLUE, "shape": "hv"},
            name="Cost per decision",
            hovertemplate="Threshold %{x:.3f}: %{y:.4g} " + currency + "<extra></extra>",
        )
    )
    # Labels at different heights: the three thresholds are often close together.
    for x, colour, text, dash, position in (
        (threshold, ORANGE, "operating", "solid", "top right"),
        (cost["optimal_threshold"], GREEN, "cost-optimal", "dash", "top left"),
        (cost["bayes_threshold"], GREY, "Bayes", "dot", "bottom right"),
    ):
        figure.add_vline(
            x=x,
            line_color=colour,
            line_dash=dash,
            annotation_text=f"{text} {x:.2f}",
            annotation_position=position,
        )
    return _layout(
        figure,
        showlegend=False,
        xaxis={"title": "Threshold", "range": [0, 1]},
        yaxis={"title": f"Expected cost per decision ({currency})"},
    )


def confusion_figure(point: dict) -> go.Figure:
    """The confusion matrix at a threshold as an annotated heatmap."""
    z = [[point["tn"], point["fp"]], [point["fn"], point["tp"]]]
    figure = go.Figure(
        go.Heatmap(
            z=z,
            x=["Predicted negative", "Predicted positive"],
            y=["Actual negative", "Actual positive"],
            text=[[f"TN {z[0][0]:,}", f"FP {z[0][1]:,}"], [f"FN {z[1][0]:,}", f"TP {z[1][1]:,}"]],
            texttemplate="%{text}",
            colorscale=[[0, "#f1f5fb"], [1, BLUE]],
            showscale=False,
            hovertemplate="%{y} · %{x}: %{z:,}<extra></extra>",
        )
    )
    figure.update_yaxes(autorange="reversed")
    return _layout(figure, height=260, showlegend=False)


def abstention_figure(abstention: dict, target: dict | None, currency: str) -> go.Figure:
    """Precision and accuracy on the answered cases, and total expected cost, by coverage."""
    figure = go.Figure()
    for key, colour, name in (("precision", BLUE, "Precision"), ("accuracy", GREEN, "Accuracy")):
        figure.add_scatter(
            x=abstention["coverage"],
            y=abstention[key],
            mode="lines",
            line={"color": colour},
            name=name,
            hovertemplate="Coverage %{x:.3f} · " + name.lower() + " %{y:.3f}<extra></extra>",
        )
    extra: dict = {}
    if abstention.get("cost_per_decision") is not None:
        figure.add_scatter(
            x=abstention["coverage"],
            y=abstention["cost_per_decision"],
            mode="lines",
            line={"color": ORANGE, "dash": "dash"},
            name="Expected cost per decision",
            yaxis="y2",
            hovertemplate="Coverage %{x:.3f}: %{y:.4g} " + currency + "<extra></extra>",
        )
        extra["yaxis2"] = {
            "title": f"Expected cost per decision ({currency})",
            "overlaying": "y",
            "side": "right",
            "showgrid": False,
        }
    if target is not None:
        figure.add_vline(
            x=target["coverage"],
            line_color=GREY,
            line_dash="dot",
            annotation_text=f"target met up to {target['coverage']:.0%}",
            annotation_position="bottom left",
        )
    return _layout(
        figure,
        xaxis={"title": "Coverage (share of cases the model answers)", "range": [0, 1]},
        yaxis={"title": "On answered cases", "range": [0, 1.02]},
        **extra,
    )


def segment_figure(column: dict, overall: dict) -> go.Figure:
    """ROC AUC per segment with its 95 % interval, the weakest in orange, overall dashed."""
    rows = [row for row in column["rows"] if row["roc_auc"] is not None]
    figure = go.Figure()
    figure.add_bar(
        x=[row["value"] for row in rows],
        y=[row["roc_auc"] for row in rows],
        marker_color=[ORANGE if row["weakest"] else BLUE for row in rows],
        error_y={
            "type": "data",
            "symmetric": False,
            "array": [row["roc_auc_high"] - row["roc_auc"] for row in rows],
            "arrayminus": [row["roc_auc"] - row["roc_auc_low"] for row in rows],
            "color": GREY,
        },
        customdata=[[row["n"], row["positives"]] for row in rows],
        hovertemplate="%{x}: ROC AUC %{y:.3f}<br>%{customdata[0]} rows, "
        "%{customdata[1]} positive<extra></extra>",
        name="ROC AUC",
    )
    if overall.get("roc_auc") is not None:
        figure.add_hline(
            y=overall["roc_auc"],
            line={"color": GREEN, "dash": "dash"},
            annotation_text=f"overall {overall['roc_auc']:.3f}",
        )
    figure.update_yaxes(title_text="ROC AUC", range=[0, 1.05])
    figure.update_xaxes(title_text=column["column"], type="category")
    return _layout(figure, height=280, showlegend=False)


def calibration_figure(reliability: dict, ece: float) -> go.Figure:
    """Reliability diagram: observed positive rate against mean predicted probability per bin."""
    filled = [i for i, count in enumerate(reliability["count"]) if count]
    edges = reliability["bin_edges"]
    figure = go.Figure()
    figure.add_scatter(
        x=[0, 1], y=[0, 1], mode="lines", line={"color": GREY, "dash": "dot"}, name="Perfect"
    )
    figure.add_scatter(
        x=[reliability["mean_predicted"][i] for i in filled],
        y=[reliability["observed_rate"][i] for i in filled],
        mode="lines+markers",
        marker={
            "color": BLUE,
            "size": [
                8 + 14 * (reliability["count"][i] / max(reliability["count"])) for i in filled
            ],
        },
        line={"color": BLUE},
        name=f"Model (ECE {ece:.3f})",
        customdata=[
            [f"{edges[i]:.1f}–{edges[i + 1]:.1f}", reliability["count"][i]] for i in filled
        ],
        hovertemplate=(
            "Scores %{customdata[0]} · %{customdata[1]:,} rows<br>"
            "predicted %{x:.3f} · observed %{y:.3f}<extra></extra>"
        ),
    )
    return _layout(
        figure,
        xaxis={"title": "Mean predicted probability", "range": [0, 1]},
        yaxis={"title": "Observed positive rate", "range": [0, 1.02]},
    )


def multiclass_confusion_figure(labels: list, matrix: list[list[int]]) -> go.Figure:
    """Confusion matrix coloured by the share of each true class, counts as text."""
    names = [str(label) for label in labels]
    shares = [[c / (sum(row) or 1) for c in row] for row in matrix]
    figure = go.Figure(
        go.Heatmap(
            z=shares,
            x=names,
            y=names,
            text=[[f"{c:,}" for c in row] for row in matrix],
            texttemplate="%{text}" if len(names) <= 12 else None,
            colorscale=[[0, "#f1f5fb"], [1, BLUE]],
            zmin=0,
            zmax=1,
            colorbar={"title": "Share of row", "tickformat": ".0%"},
            hovertemplate=(
                "true %{y} · predicted %{x}: %{text} (%{z:.1%} of the row)<extra></extra>"
            ),
        )
    )
    figure.update_yaxes(autorange="reversed", title="True class", type="category")
    figure.update_xaxes(title="Predicted class", type="category")
    height = min(900, max(300, 40 * len(names) + 120))
    return _layout(figure, height=height, showlegend=False)


def per_class_figure(per_class: list[dict]) -> go.Figure:
    """Precision, recall and F1 per class, side by side."""
    names = [str(row["label"]) for row in per_class]
    figure = go.Figure()
    for key, colour in (("precision", GREY), ("recall", GREEN), ("f1", BLUE)):
        figure.add_bar(
            x=names,
            y=[row[key] for row in per_class],
            name=key.capitalize() if key != "f1" else "F1",
            marker_color=colour,
            hovertemplate="%{x}: %{y:.3f}<extra></extra>",
        )
    figure.update_xaxes(type="category")
    return _layout(figure, barmode="group", yaxis={"range": [0, 1.02]})


def regression_scatter_figure(scatter: dict) -> go.Figure:
    """Predicted against true values (a fixed sample) with the y = x line."""
    y, f = scatter["y_true"], scatter["prediction"]
    low, high = min(min(y), min(f)), max(max(y), max(f))
    figure = go.Figure()
    figure.add_scatter(
        x=[low, high],
        y=[low, high],
        mode="lines",
        line={"color": GREY, "dash": "dot"},
        name="Perfect (y = x)",
    )
    shown = f"{len(y):,} of {scatter['of']:,} rows" if scatter["of"] > len(y) else "every row"
    figure.add_scatter(
        x=y,
        y=f,
        mode="markers",
        marker={"color": BLUE, "size": 5, "opacity": 0.5},
        name=f"Predictions ({shown})",
        hovertemplate="true %{x:.4g} · predicted %{y:.4g}<extra></extra>",
    )
    return _layout(figure, height=340, xaxis={"title": "True value"}, yaxis={"title": "Prediction"})


def residual_figure(quantiles: dict) -> go.Figure:
    """Residual (prediction − truth) quantiles as a horizontal interval chart."""
    names = list(quantiles)
    figure = go.Figure()
    figure.add_bar(
        x=[quantiles[n] for n in names],
        y=[n.replace("p", "") + "th pct" for n in names],
        orientation="h",
        marker_color=[ORANGE if v > 0 else BLUE for v in quantiles.values()],
        hovertemplate="%{y}: %{x:.4g}<extra></extra>",
    )
    figure.add_vline(x=0, line={"color": GREY, "dash": "dot"})
    return _layout(
        figure, height=260, showlegend=False, xaxis={"title": "Residual (prediction − truth)"}
    )


KIND_COLOURS = {"uploaded": BLUE, "baseline": GREY, "external": ORANGE}


def leaderboard_figure(rows: list[dict], metric_label: str, reference: float | None) -> go.Figure:
    """Each run's value with its 95 % interval as error bars, best at the top."""
    figure = go.Figure()
    for kind, colour in KIND_COLOURS.items():
        mine = [r for r in rows if r["kind"] == kind and r["value"] is not None]
        if not mine:
            continue
        figure.add_scatter(
            x=[r["value"] for r in mine],
            y=[r["name"] for r in mine],
            mode="markers",
            marker={"color": colour, "size": 11},
            name={"uploaded": "Model", "baseline": "Trained baseline", "external": "Reference"}[
                kind
            ],
            error_x={
                "type": "data",
                "symmetric": False,
                "array": [(r["high"] - r["value"]) if r["high"] is not None else 0 for r in mine],
                "arrayminus": [
                    (r["value"] - r["low"]) if r["low"] is not None else 0 for r in mine
                ],
                "color": colour,
                "thickness": 2,
                "width": 6,
            },
            hovertemplate="%{y}: %{x:.4f}<extra></extra>",
        )
    if reference is not None:
        figure.add_vline(
            x=reference,
            line={"color": GREEN, "dash": "dash"},
            annotation_text="best simple baseline",
            annotation_position="top",
        )
    names = [r["name"] for r in rows if r["value"] is not None]
    figure.update_yaxes(categoryorder="array", categoryarray=list(reversed(names)), type="category")
    return _layout(figure, height=max(220, 38 * len(names) + 110), xaxis={"title": metric_label})


HEADLINE_LABELS = {"accuracy": "Accuracy", "rmse": "RMSE"}


def task_segment_figure(column: dict, overall: dict, headline: str) -> go.Figure:
    """The headline metric (accuracy or RMSE) per segment with its interval, overall dashed."""
    rows = [row for row in column["rows"] if row["metrics"].get(headline) is not None]
    values = [row["metrics"][headline] for row in rows]
    figure = go.Figure()
    figure.add_bar(
        x=[row["value"] for row in rows],
        y=values,
        marker_color=[ORANGE if row["weakest"] else BLUE for row in rows],
        error_y={
            "type": "data",
            "symmetric": False,
            "array": [
                (r["high"] - v) if r["high"] is not None else 0
                for r, v in zip(rows, values, strict=True)
            ],
            "arrayminus": [
                (v - r["low"]) if r["low"] is not None else 0
                for r, v in zip(rows, values, strict=True)
            ],
            "color": GREY,
        },
        customdata=[row["n"] for row in rows],
        hovertemplate="%{x}: %{y:.4g}<br>%{customdata} rows<extra></extra>",
        name=HEADLINE_LABELS.get(headline, headline),
    )
    total = overall["metrics"].get(headline)
    if total is not None:
        figure.add_hline(
            y=total, line={"color": GREEN, "dash": "dash"}, annotation_text=f"overall {total:.4g}"
        )
    figure.update_yaxes(title_text=HEADLINE_LABELS.get(headline, headline))
    figure.update_xaxes(title_text=column["column"], type="category")
    return _layout(figure, height=280, showlegend=False)

"""Plotly figures for job results, built from plain data (no ORM)."""

import json

import plotly.graph_objects as go

BRAND = "#206bc4"


def figure_json(figure: go.Figure) -> str:
    """Serialise a figure for the data-plotly attribute that static/js/charts.js renders."""
    # Our figures set their own colours and fonts; dropping plotly's default theme saves
    # ~7 kB of JSON per chart (a profile page has one per column).
    figure.update_layout(template="none")
    return json.dumps(figure.to_plotly_json(), default=str)


def selfcheck_folds_figure(result: dict) -> go.Figure:
    """Per-fold ROC AUC as bars, with the out-of-fold AUC and its 95 % interval as a band."""
    folds = [f"Fold {i + 1}" for i in range(len(result["fold_auc"]))]
    figure = go.Figure(
        go.Bar(
            x=folds,
            y=result["fold_auc"],
            marker_color=BRAND,
            text=[f"{v:.4f}" for v in result["fold_auc"]],
            textposition="outside",
            name="Fold AUC",
            hovertemplate="%{x}: AUC %{y:.4f}<extra></extra>",
        )
    )
    figure.add_hrect(
        y0=result["oof_auc_low"],
        y1=result["oof_auc_high"],
        fillcolor="#2fb344",
        opacity=0.15,
        line_width=0,
    )
    figure.add_hline(
        y=result["oof_auc"],
        line_color="#2fb344",
        line_dash="dash",
        annotation_text=f"Out-of-fold AUC {result['oof_auc']:.4f}",
        annotation_position="top left",
    )
    low = min(min(result["fold_auc"]), result["oof_auc_low"])
    figure.update_layout(
        margin={"l": 48, "r": 16, "t": 24, "b": 32},
        height=280,
        yaxis={"range": [max(0.0, low - 0.02), 1.005], "title": "ROC AUC", "tickformat": ".3f"},
        showlegend=False,
        plot_bgcolor="white",
        paper_bgcolor="white",
        font={"family": "system-ui, -apple-system, Segoe UI, sans-serif", "size": 12},
    )
    figure.update_yaxes(gridcolor="#eef1f4")
    return figure

"""Plotly figures for dataset pages, from stored profiles and drift reports (no ORM)."""

import plotly.graph_objects as go

BLUE = "#206bc4"
GREY = "#adb5bd"
ORANGE = "#f76707"
FONT = {"family": "system-ui, -apple-system, Segoe UI, sans-serif", "size": 12}


def _layout(figure: go.Figure, height: int, **extra: object) -> go.Figure:
    figure.update_layout(
        height=height,
        margin={"l": 8, "r": 8, "t": 8, "b": 8},
        plot_bgcolor="white",
        paper_bgcolor="white",
        font=FONT,
        showlegend=False,
        **extra,
    )
    figure.update_xaxes(automargin=True, gridcolor="#eef1f4")
    figure.update_yaxes(automargin=True, gridcolor="#eef1f4")
    return figure


def missingness_figure(columns: list[dict]) -> go.Figure:
    """Share of missing values per column with any gap, worst first."""
    ordered = sorted(
        (c for c in columns if c["missing"]), key=lambda c: c["missing_share"], reverse=True
    )
    colours = [ORANGE if c["missing_share"] >= 0.2 else BLUE for c in ordered]
    figure = go.Figure(
        go.Bar(
            x=[c["name"] for c in ordered],
            y=[c["missing_share"] for c in ordered],
            marker_color=colours,
            hovertemplate="%{x}: %{y:.1%} missing<extra></extra>",
        )
    )
    return _layout(
        figure, 240, yaxis={"tickformat": ".0%", "title": "missing", "rangemode": "tozero"}
    )


def column_figure(column: dict) -> go.Figure | None:
    """A histogram for a numeric column, or its top categories."""
    if column.get("histogram"):
        edges, counts = column["histogram"]["edges"], column["histogram"]["counts"]
        centres = [(a + b) / 2 for a, b in zip(edges[:-1], edges[1:], strict=True)]
        widths = [b - a for a, b in zip(edges[:-1], edges[1:], strict=True)]
        figure = go.Figure(
            go.Bar(
                x=centres,
                y=counts,
                width=widths,
                marker_color=BLUE,
                hovertemplate="%{x:.4g}: %{y}<extra></extra>",
            )
        )
        _layout(figure, 64, bargap=0.02)
        figure.update_yaxes(visible=False)
        figure.update_xaxes(showgrid=False, tickfont={"size": 9}, nticks=4)
        return figure
    if column.get("top_categories"):
        top = column["top_categories"][:12]
        figure = go.Figure(
            go.Bar(
                y=[str(c["value"]) for c in top][::-1],
                x=[c["count"] for c in top][::-1],
                orientation="h",
                marker_color=BLUE,
                hovertemplate="%{y}: %{x}<extra></extra>",
            )
        )
        _layout(figure, 24 + 14 * len(top), yaxis={"type": "category"})
        figure.update_xaxes(visible=False)
        figure.update_yaxes(tickfont={"size": 9})
        return figure
    return None


def target_balance_figure(balance: list[dict]) -> go.Figure:
    figure = go.Figure(
        go.Bar(
            x=[str(b["value"]) for b in balance],
            y=[b["share"] for b in balance],
            marker_color=BLUE,
            text=[f"{b['share']:.1%} ({b['count']:,})" for b in balance],
            textposition="outside",
            hovertemplate="%{x}: %{y:.1%}<extra></extra>",
        )
    )
    # Category axis: labels such as 0 and 1 are classes, not numbers on a line.
    return _layout(
        figure, 220, xaxis={"type": "category"}, yaxis={"tickformat": ".0%", "rangemode": "tozero"}
    )


def overlaid_figure(distribution: dict, reference_label: str, current_label: str) -> go.Figure:
    """Reference and current distributions of one column on shared bins or categories."""
    figure = go.Figure()
    if "edges" in distribution:
        edges = distribution["edges"]
        centres = [(a + b) / 2 for a, b in zip(edges[:-1], edges[1:], strict=True)]
        x = centres
    else:
        x = [str(c) for c in distribution["categories"]]
        figure.update_xaxes(type="category")
    figure.add_bar(
        x=x, y=distribution["reference"], name=reference_label, marker_color=GREY, opacity=0.75
    )
    figure.add_bar(
        x=x, y=distribution["current"], name=current_label, marker_color=BLUE, opacity=0.75
    )
    _layout(figure, 280, barmode="overlay", yaxis={"tickformat": ".0%", "title": "share of rows"})
    figure.update_layout(showlegend=True, legend={"orientation": "h", "y": 1.1}, margin={"t": 30})
    return figure

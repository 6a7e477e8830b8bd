"""Plotly figures for monitors, built from plain rows (no ORM), and inline SVG sparklines."""

STATE_COLOURS = {"ok": "#2fb344", "warn": "#f59f00", "breach": "#d63939", "no_data": "#868e96"}
FONT = {"family": "system-ui, -apple-system, Segoe UI, sans-serif", "size": 12}


def history_figure(rows: list[dict], *, metric_label: str) -> dict:
    """Value per check over time, the threshold line, the warning band shaded, breaches red.

    `rows` hold at, value, state, threshold_line, warning_line, baseline_line, sentence.
    Lines are drawn per check because a break-even line moves with the costs. A plain
    plotly.js figure dict (data + layout), not a graph_objects Figure: validating a
    Figure costs ~25 ms per page, the dict ~1 ms, and charts.js reads either.
    """
    x = [r["at"] for r in rows]
    data: list[dict] = []
    if any(r["warning_line"] is not None for r in rows):
        data.append(
            {
                "type": "scatter",
                "x": x,
                "y": [r["threshold_line"] for r in rows],
                "mode": "lines",
                "line": {"width": 0, "shape": "hv"},
                "hoverinfo": "skip",
                "showlegend": False,
            }
        )
        data.append(
            {
                "type": "scatter",
                "x": x,
                "y": [r["warning_line"] for r in rows],
                "mode": "lines",
                "line": {"width": 0, "shape": "hv"},
                "fill": "tonexty",
                "fillcolor": "rgba(245, 159, 0, 0.18)",
                "name": "Warning band",
                "hoverinfo": "skip",
            }
        )
    for key, name, style in (
        ("threshold_line", "Threshold", {"color": "#d63939", "dash": "dash"}),
        ("baseline_line", "Baseline line", {"color": "#6c7a91", "dash": "dot"}),
    ):
        if any(r[key] is not None for r in rows):
            data.append(
                {
                    "type": "scatter",
                    "x": x,
                    "y": [r[key] for r in rows],
                    "mode": "lines",
                    "line": {**style, "width": 1.5, "shape": "hv"},
                    "name": name,
                    "hovertemplate": f"{name} %{{y:.4g}}<extra></extra>",
                }
            )
    data.append(
        {
            "type": "scatter",
            "x": x,
            "y": [r["value"] for r in rows],
            "mode": "lines+markers",
            "line": {"color": "#206bc4", "width": 2},
            "marker": {
                "color": [STATE_COLOURS.get(r["state"], "#868e96") for r in rows],
                "size": [11 if r["state"] == "breach" else 7 for r in rows],
                "line": {"width": 1, "color": "white"},
            },
            "customdata": [[r["state"], r["sentence"]] for r in rows],
            "name": metric_label,
            "hovertemplate": "%{y:.4g} — %{customdata[0]}<br>%{customdata[1]}<extra></extra>",
        }
    )
    layout = {
        "margin": {"l": 56, "r": 16, "t": 16, "b": 40},
        "height": 320,
        "yaxis": {"title": {"text": metric_label}, "gridcolor": "#eef1f4"},
        "xaxis": {"gridcolor": "#eef1f4"},
        "legend": {"orientation": "h", "y": -0.2},
        "plot_bgcolor": "white",
        "paper_bgcolor": "white",
        "font": FONT,
    }
    return {"data": data, "layout": layout}


def sparkline_svg(points: list[tuple], *, width: int = 120, height: int = 28) -> dict:
    """Coordinates for an inline SVG sparkline: a polyline and the last point's colour.

    Inline SVG, not plotly: a dashboard of 200 cards must not load 200 charts.
    """
    values = [v for v, _ in points if v is not None]
    if not values:
        return {"polyline": "", "last": None, "colour": STATE_COLOURS["no_data"]}
    low = min(values)
    span = (max(values) - low) or 1.0
    step = width / max(len(points) - 1, 1)
    scale = (height - 4) / span
    coords = [
        (round(i * step, 1), round(height - 2 - (value - low) * scale, 1))
        for i, (value, _) in enumerate(points)
        if value is not None
    ]
    last_value, last_state = points[-1]
    x, y = coords[-1]
    return {
        "polyline": " ".join(f"{cx},{cy}" for cx, cy in coords),
        "last": last_value,
        # Strings: the template would otherwise localise each number (measurable × 800).
        "x": str(x),
        "y": str(y),
        "colour": STATE_COLOURS.get(last_state, STATE_COLOURS["no_data"]),
        "width": str(width),
        "height": str(height),
    }

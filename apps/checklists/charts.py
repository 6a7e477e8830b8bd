"""Plotly figures for checklist pages, from plain scores (no ORM)."""

import plotly.graph_objects as go

from mlcore.checklists import MlTestScore, format_points

BRAND = "#206bc4"
WEAKEST = "#d63939"
SECTION_TITLES = {
    "data": "Data",
    "model": "Model",
    "infrastructure": "Infrastructure",
    "monitoring": "Monitoring",
}


def ml_test_score_figure(score: MlTestScore, max_points: int = 7) -> go.Figure:
    """The four section sums as bars; the lowest (which is the final score) in red."""
    sections = list(score.section_sums)
    sums = [score.section_sums[section] for section in sections]
    figure = go.Figure(
        go.Bar(
            y=[SECTION_TITLES.get(section, section) for section in sections],
            x=sums,
            orientation="h",
            marker_color=[WEAKEST if s in score.weakest else BRAND for s in sections],
            text=[format_points(value) for value in sums],
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{y}: %{x} of " + str(max_points) + "<extra></extra>",
        )
    )
    figure.add_vline(x=score.final, line_color=WEAKEST, line_dash="dot", line_width=1.5)
    figure.update_layout(
        # The "none" template keeps the default theme's 7 kB out of every page.
        template="none",
        margin={"l": 96, "r": 24, "t": 8, "b": 28},
        height=170,
        xaxis={"range": [0, max_points + 0.4], "dtick": 1, "gridcolor": "#eef1f4"},
        yaxis={"autorange": "reversed", "ticksuffix": "  "},
        bargap=0.35,
        showlegend=False,
        plot_bgcolor="white",
        paper_bgcolor="white",
        font={"family": "system-ui, -apple-system, Segoe UI, sans-serif", "size": 12},
    )
    return figure

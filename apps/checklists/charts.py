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
    """The four section sums as bars; the weakest (which sets the final score) in red."""
    sections = list(score.section_sums)
    sums = [score.section_sums[section] for section in sections]
    figure = go.Figure(
        go.Bar(
            x=[SECTION_TITLES.get(section, section) for section in sections],
            y=sums,
            marker_color=[WEAKEST if s in score.weakest else BRAND for s in sections],
            text=[format_points(value) for value in sums],
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{x}: %{y} of " + str(max_points) + "<extra></extra>",
        )
    )
    figure.add_hline(
        y=score.final,
        line_color=WEAKEST,
        line_dash="dot",
        annotation_text=f"Final score {format_points(score.final)}",
        annotation_position="top right",
        annotation_font_color=WEAKEST,
    )
    figure.update_layout(
        margin={"l": 36, "r": 12, "t": 28, "b": 28},
        height=220,
        yaxis={"range": [0, max_points + 0.6], "dtick": 1, "title": None},
        showlegend=False,
        plot_bgcolor="white",
        paper_bgcolor="white",
        font={"family": "system-ui, -apple-system, Segoe UI, sans-serif", "size": 12},
    )
    figure.update_yaxes(gridcolor="#eef1f4")
    return figure

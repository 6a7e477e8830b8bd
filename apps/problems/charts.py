"""Plotly figures for problem pages, from plain mlcore results (no ORM)."""

import plotly.graph_objects as go

from mlcore.costs import NoModelCosts

POLICY_COLOURS = {
    "Always positive": "#f59f00",
    "Always negative": "#667382",
    "Existing solution": "#206bc4",
}


def no_model_cost_figure(no_model: NoModelCosts, currency: str) -> go.Figure:
    """Expected cost per decision of each non-ML policy, cheapest highlighted."""
    policies = sorted(no_model.policies, key=lambda p: p.cost_per_decision, reverse=True)
    best = no_model.best.name
    figure = go.Figure(
        go.Bar(
            x=[p.cost_per_decision for p in policies],
            y=[p.name for p in policies],
            orientation="h",
            marker_color=[
                "#2fb344" if p.name == best else POLICY_COLOURS.get(p.name, "#667382")
                for p in policies
            ],
            text=[f"{p.cost_per_decision:,.2f} {currency}" for p in policies],
            textposition="auto",
            hovertemplate="%{y}: %{x:,.4f} " + currency + " per decision<extra></extra>",
        )
    )
    figure.update_layout(
        height=70 + 48 * len(policies),
        margin={"l": 8, "r": 16, "t": 8, "b": 36},
        xaxis={
            "title": f"Expected cost per decision ({currency})",
            "zeroline": True,
            "gridcolor": "#eef1f4",
        },
        yaxis={"automargin": True},
        plot_bgcolor="white",
        paper_bgcolor="white",
        font={"family": "system-ui, -apple-system, Segoe UI, sans-serif", "size": 12},
        showlegend=False,
    )
    return figure

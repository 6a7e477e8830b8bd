// Render every element with a data-plotly figure, on load and after htmx swaps.
(function () {
  function render(root) {
    if (!window.Plotly) return;
    root.querySelectorAll("[data-plotly]:not([data-plotly-done])").forEach(function (el) {
      var figure = JSON.parse(el.getAttribute("data-plotly"));
      el.setAttribute("data-plotly-done", "1");
      window.Plotly.newPlot(el, figure.data, figure.layout, { displaylogo: false, responsive: true });
    });
  }
  document.addEventListener("DOMContentLoaded", function () { render(document); });
  document.body.addEventListener("htmx:afterSettle", function (event) { render(event.target); });
})();

// Render every element with a data-plotly figure, on load and after htmx swaps.
// plotly.min.js (4.8 MB) is fetched only when a page has a chart, and asynchronously, so
// it never delays htmx (progress polling starts as soon as the page is parsed).
(function () {
  var script = document.currentScript;
  var plotlySrc = script && script.getAttribute("data-plotly-src");
  var loading = false;

  function pending(root) {
    return root.querySelectorAll ? root.querySelectorAll("[data-plotly]:not([data-plotly-done])") : [];
  }

  function draw(root) {
    pending(root).forEach(function (el) {
      var figure = JSON.parse(el.getAttribute("data-plotly"));
      el.setAttribute("data-plotly-done", "1");
      window.Plotly.newPlot(el, figure.data, figure.layout, { displaylogo: false, responsive: true });
    });
  }

  function render(root) {
    if (!pending(root).length) return;
    if (window.Plotly) { draw(root); return; }
    if (loading || !plotlySrc) return;
    loading = true;
    var tag = document.createElement("script");
    tag.src = plotlySrc;
    tag.async = true;
    tag.onload = function () { draw(document); };
    document.head.appendChild(tag);
  }

  document.addEventListener("DOMContentLoaded", function () { render(document); });
  document.addEventListener("htmx:afterSettle", function (event) { render(event.target); });
})();

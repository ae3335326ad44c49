// Draws the portfolio charts from data the page passes through json_script. Each chart is
// hidden from screen readers: the table beside it holds the same figures.
(function () {
  "use strict";
  if (typeof window.Chart === "undefined") {
    return;
  }
  // The charts' own words, in the language of the page (<html lang>).
  const labels =
    document.documentElement.lang === "cy"
      ? { actual: "Gwirioneddol", aspiration: "Dyhead", median: "Canolrif y sector", own: "Yma" }
      : { actual: "Actual", aspiration: "Aspiration", median: "Sector median", own: "Here" };
  const number = (value) => (value === null || value === undefined ? null : Number(value));
  const colours = { actual: "#1d70b8", aspiration: "#00703c", median: "#505a5f", own: "#1d70b8", sector: "#505a5f" };

  function series(data) {
    return {
      type: "line",
      data: {
        labels: data.map((point) => point.period),
        datasets: [
          { label: labels.actual, data: data.map((p) => number(p.actual)), borderColor: colours.actual, backgroundColor: colours.actual },
          {
            label: labels.aspiration,
            data: data.map((p) => number(p.aspiration)),
            borderColor: colours.aspiration,
            backgroundColor: colours.aspiration,
            borderDash: [6, 4],
          },
          {
            label: labels.median,
            data: data.map((p) => number(p.median)),
            borderColor: colours.median,
            backgroundColor: colours.median,
            borderDash: [2, 3],
          },
        ],
      },
      options: { animation: false, spanGaps: true, plugins: { legend: { position: "bottom" } } },
    };
  }

  function capacity(data) {
    return {
      type: "bar",
      data: {
        labels: data.labels,
        datasets: [
          { label: labels.own, data: data.own.map(number), backgroundColor: colours.own },
          { label: labels.median, data: data.sector.map(number), backgroundColor: colours.sector },
        ],
      },
      options: {
        animation: false,
        indexAxis: "y",
        scales: { x: { min: 0, max: 5 } },
        plugins: { legend: { position: "bottom" } },
      },
    };
  }

  const builders = { series, capacity };
  document.querySelectorAll("[data-chart]").forEach((container) => {
    const source = document.getElementById(container.dataset.source);
    const build = builders[container.dataset.chart];
    if (!source || !build) {
      return;
    }
    new window.Chart(container.querySelector("canvas"), build(JSON.parse(source.textContent)));
  });
})();

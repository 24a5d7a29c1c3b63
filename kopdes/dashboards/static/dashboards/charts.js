// Dashboard charts (Chart.js, served from npm through WhiteNoise). Every chart's figures are also in an HTML table.
(function () {
  "use strict";
  var holder = document.getElementById("kd-chart-data");
  var canvas = document.getElementById("kd-trend");
  if (!holder || !canvas || typeof Chart === "undefined") return;
  var data = JSON.parse(holder.textContent);
  var lang = document.documentElement.lang || "id";
  var t = lang.indexOf("en") === 0
    ? { weekly: "Formed this week", total: "Formed in total", target: "Target", threshold: "Threshold" }
    : { weekly: "Terbentuk per minggu", total: "Terbentuk kumulatif", target: "Target", threshold: "Ambang" };
  var sets = [
    { type: "bar", label: t.weekly, data: data.weekly, backgroundColor: "#74a9cf", yAxisID: "y" },
    { type: "line", label: t.total, data: data.cumulative, borderColor: "#045a8d", backgroundColor: "#045a8d",
      pointRadius: 0, tension: 0, yAxisID: "y" }
  ];
  if (data.target !== null) {
    sets.push({ type: "line", label: t.target, data: data.labels.map(function () { return data.target; }),
      borderColor: "#b30000", borderDash: [6, 4], pointRadius: 0, yAxisID: "y" });
  }
  if (data.threshold !== null) {
    sets.push({ type: "line", label: t.threshold, data: data.labels.map(function () { return data.threshold; }),
      borderColor: "#fc8d59", borderDash: [2, 3], pointRadius: 0, yAxisID: "y" });
  }
  new Chart(canvas, {
    data: { labels: data.labels, datasets: sets },
    options: { responsive: true, maintainAspectRatio: false, animation: false,
      scales: { y: { beginAtZero: true, ticks: { precision: 0 } } },
      plugins: { legend: { position: "bottom" } } }
  });
})();

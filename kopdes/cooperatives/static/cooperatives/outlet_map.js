// The cooperative's outlets on a small Leaflet map. No base map unless the server names a tile URL (KOPDES_MAP_TILE_URL).
(function () {
  "use strict";
  var el = document.getElementById("kd-outlet-map");
  var data = document.getElementById("kd-outlet-points");
  if (!el || !data || typeof L === "undefined") return;
  function esc(s) { var d = document.createElement("div"); d.textContent = s; return d.innerHTML; }
  var points = JSON.parse(data.textContent);
  var map = L.map(el, { attributionControl: !!el.dataset.tiles });
  window.kdOutletMap = map; // for the browser test and the console
  if (el.dataset.tiles) L.tileLayer(el.dataset.tiles, { maxZoom: 19 }).addTo(map);
  var markers = points.map(function (p) {
    return L.circleMarker([p.lat, p.lon], { radius: 8, color: "#8b0000", fillColor: "#dc3545", fillOpacity: 0.8 })
      .bindTooltip(esc(p.label + " · " + p.status))
      .addTo(map);
  });
  var outlines = document.getElementById("kd-village-outlines");
  var shapes = outlines ? JSON.parse(outlines.textContent) : [];
  var outline = L.geoJSON(shapes, { style: { color: "#6c757d", weight: 1.5, fillColor: "#adb5bd", fillOpacity: 0.15 }, interactive: false }).addTo(map);
  outline.bringToBack();
  var group = L.featureGroup(markers);
  if (shapes.length) map.fitBounds(outline.getBounds().extend(group.getBounds()).pad(0.05));
  else if (points.length === 1) map.setView([points[0].lat, points[0].lon], 15);
  else map.fitBounds(group.getBounds().pad(0.3));
  el.dataset.ready = "1";
})();

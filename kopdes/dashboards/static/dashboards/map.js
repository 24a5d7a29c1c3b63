// The progress map (Leaflet from npm). No base map unless the server names a tile URL (KOPDES_MAP_TILE_URL).
(function () {
  "use strict";
  var el = document.getElementById("kd-map");
  if (!el || typeof L === "undefined") return;
  var map = L.map(el, { zoomSnap: 0.25, attributionControl: !!el.dataset.tiles });
  window.kdMap = map; // for the browser test and the console
  if (el.dataset.tiles) L.tileLayer(el.dataset.tiles, { maxZoom: 18 }).addTo(map);
  function esc(s) { var d = document.createElement("div"); d.textContent = s; return d.innerHTML; }
  fetch(el.dataset.url, { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(function (data) {
    var style = function (f) {
      return { color: "#555", weight: 1, fillColor: f.properties.colour, fillOpacity: 0.75 };
    };
    var bounds = null;
    var areas = L.geoJSON(data.areas, {
      style: function (f) { var s = style(f); s.weight = 2; s.color = "#222"; s.fillOpacity = data.villages.features.length ? 0 : 0.75; return s; },
      interactive: !data.villages.features.length,
      onEachFeature: function (f, layer) {
        layer.bindTooltip(esc(f.properties.name) + ": " + f.properties.percent + " " + esc(el.dataset.labelPercent));
      }
    }).addTo(map);
    var villages = L.geoJSON(data.villages, {
      style: style,
      onEachFeature: function (f, layer) {
        var p = f.properties;
        var html = "<strong>" + esc(p.name) + "</strong><br>" + esc(el.dataset.labelStage) + " " + p.stage + ". " + esc(p.stage_label);
        if (p.url) html += '<br><a href="' + esc(p.url) + '">' + esc(el.dataset.labelOpen) + "</a>";
        layer.bindPopup(html);
        layer.bindTooltip(esc(p.name));
      }
    }).addTo(map);
    if (data.villages.features.length) { areas.bringToFront(); bounds = villages.getBounds(); }
    else if (data.areas.features.length) bounds = areas.getBounds();
    if (bounds && bounds.isValid()) map.fitBounds(bounds); else map.setView([-1.8, 116.0], 8);
    var legend = document.getElementById("kd-legend");
    if (legend) {
      var items = data.villages.features.length
        ? data.legend.stages.map(function (s) { return [s.colour, s.number + ". " + s.label]; })
        : data.legend.percent.map(function (b) { return [b.colour, "≥ " + b.from + " " + el.dataset.labelPercent]; });
      // built with the DOM, colours set through element.style: the Content-Security-Policy refuses style attributes in markup
      legend.textContent = "";
      items.forEach(function (i) {
        var item = document.createElement("span");
        var swatch = document.createElement("span");
        swatch.className = "kd-swatch";
        swatch.style.background = i[0];
        item.appendChild(swatch);
        item.appendChild(document.createTextNode(" " + i[1]));
        legend.appendChild(item);
      });
      el.dataset.ready = "1";
    }
  });
})();

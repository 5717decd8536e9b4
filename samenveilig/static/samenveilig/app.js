// Samen Veilig front-end behaviour. No inline scripts anywhere (strict CSP): pages opt in with data attributes.
(function () {
  "use strict";

  // Maps: <div class="sv-map" data-geojson-url="…"> or data-geojson="{…}"; the tile source comes from the page.
  function initMap(el) {
    if (!window.L || el.dataset.mapReady) return;
    el.dataset.mapReady = "1";
    var map = L.map(el, { scrollWheelZoom: false });
    var tiles = document.body.dataset.tileUrl;
    if (tiles) {
      L.tileLayer(tiles, { maxZoom: 19, attribution: document.body.dataset.tileAttribution || "" }).addTo(map);
    }
    function show(data) {
      var layer = L.geoJSON(data, {
        style: function () { return { color: "#0b5394", weight: 2, fillOpacity: 0.15 }; },
        onEachFeature: function (feature, lyr) {
          if (feature.properties && feature.properties.name) lyr.bindTooltip(feature.properties.name);
        }
      }).addTo(map);
      var bounds = layer.getBounds();
      if (bounds.isValid()) map.fitBounds(bounds, { padding: [8, 8] });
    }
    if (el.dataset.geojson) show(JSON.parse(el.dataset.geojson));
    else if (el.dataset.geojsonUrl) fetch(el.dataset.geojsonUrl, { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(show);
  }

  function initAll(root) {
    (root || document).querySelectorAll(".sv-map").forEach(initMap);
  }

  document.addEventListener("DOMContentLoaded", function () { initAll(document); });
  document.addEventListener("htmx:load", function (evt) { initAll(evt.target); });
})();

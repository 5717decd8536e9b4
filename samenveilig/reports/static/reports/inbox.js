// Partner pages of reports. No inline scripts (strict CSP): elements opt in with data attributes.
(function () {
  "use strict";

  // A report's point: <div class="sv-report-map" data-lat="…" data-lon="…">.
  function initPointMap(el) {
    if (!window.L || el.dataset.mapReady) return;
    var lat = parseFloat(el.dataset.lat), lon = parseFloat(el.dataset.lon);
    if (isNaN(lat) || isNaN(lon)) return;
    el.dataset.mapReady = "1";
    var map = L.map(el, { scrollWheelZoom: false }).setView([lat, lon], 16);
    var tiles = document.body.dataset.tileUrl;
    if (tiles) {
      L.tileLayer(tiles, { maxZoom: 19, attribution: document.body.dataset.tileAttribution || "" }).addTo(map);
    }
    L.circleMarker([lat, lon], { radius: 9, color: "#b00020", weight: 3, fillOpacity: 0.4 }).addTo(map);
  }

  // A copy button for a read-only field: <button class="sv-copy" data-copy-target="id" hidden>.
  function initCopy(button) {
    var target = document.getElementById(button.dataset.copyTarget);
    if (!target || !navigator.clipboard) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(target.value).then(function () {
        button.textContent = button.dataset.copiedText || button.textContent;
      });
    });
  }

  function initAll(root) {
    (root || document).querySelectorAll(".sv-report-map").forEach(initPointMap);
    (root || document).querySelectorAll(".sv-copy").forEach(initCopy);
  }

  document.addEventListener("DOMContentLoaded", function () { initAll(document); });
})();

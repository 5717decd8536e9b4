// The report form: a map to put a pin (writes lat/lon into the coordinate fields), "My location", and
// "Add a person / vehicle" without a round trip. Without JavaScript the coordinate fields stay visible and the
// add buttons post the form back with one more block. The alert send form (data-description-blocks) reuses the
// add buttons only.
(function () {
  "use strict";

  function initMap(form) {
    var el = form.querySelector("[data-pick-map]");
    var lat = form.querySelector("input[name=lat]"), lon = form.querySelector("input[name=lon]");
    if (!el || !window.L || !lat || !lon) return;
    el.hidden = false;
    form.querySelector("[data-map-actions]").hidden = false;
    form.querySelector("[data-coords]").hidden = true;
    var map = L.map(el, { scrollWheelZoom: false });
    var tiles = document.body.dataset.tileUrl;
    if (tiles) L.tileLayer(tiles, { maxZoom: 19, attribution: document.body.dataset.tileAttribution || "" }).addTo(map);
    var area = L.geoJSON(JSON.parse(el.dataset.geojson), {
      style: function () { return { color: "#0b5394", weight: 2, fillOpacity: 0.1 }; },
      interactive: false
    }).addTo(map);
    var marker = null;
    var text = form.querySelector("[data-location-text]");
    function place(latlng, zoom) {
      lat.value = latlng.lat.toFixed(6);
      lon.value = latlng.lng.toFixed(6);
      if (marker) marker.setLatLng(latlng); else marker = L.marker(latlng, { keyboard: false }).addTo(map);
      if (zoom) map.setView(latlng, 17);
      text.textContent = text.dataset.msgSet;
    }
    if (lat.value && lon.value && !isNaN(parseFloat(lat.value))) {
      place(L.latLng(parseFloat(lat.value), parseFloat(lon.value)), true);
    } else if (area.getBounds().isValid()) {
      map.fitBounds(area.getBounds(), { padding: [8, 8] });
    }
    map.on("click", function (event) { place(event.latlng, false); });
    form.querySelector("[data-my-location]").addEventListener("click", function () {
      if (!navigator.geolocation) { text.textContent = text.dataset.msgFailed; return; }
      navigator.geolocation.getCurrentPosition(function (position) {
        place(L.latLng(position.coords.latitude, position.coords.longitude), true);
      }, function () { text.textContent = text.dataset.msgFailed; }, { enableHighAccuracy: true, timeout: 15000 });
    });
  }

  function initAdd(form) {
    form.querySelectorAll("[data-add]").forEach(function (button) {
      var kind = button.dataset.add;
      var container = form.querySelector("[data-blocks=" + kind + "]");
      var template = form.querySelector("template[data-template=" + kind + "]");
      button.addEventListener("click", function (event) {
        event.preventDefault();
        var index = container.querySelectorAll("[data-block]").length;
        if (index >= (parseInt(container.dataset.max, 10) || 10)) return;
        var singular = kind === "persons" ? "person" : "vehicle";
        var html = template.innerHTML
          .replace(new RegExp(kind + "-0-", "g"), kind + "-" + index + "-")
          .replace(new RegExp("id_" + kind + "_0_", "g"), "id_" + kind + "_" + index + "_")
          .replace(new RegExp(singular + "-0-", "g"), singular + "-" + index + "-")
          .replace(/__n__/g, String(index + 1));
        container.insertAdjacentHTML("beforeend", html);
        var blocks = container.querySelectorAll("[data-block]");
        var first = blocks[blocks.length - 1].querySelector("input");
        if (first) first.focus();
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-offline-queue]").forEach(function (form) {
      initMap(form);
      initAdd(form);
    });
    // Other forms with the same person and vehicle blocks (the alert send form) only take the add buttons.
    document.querySelectorAll("form[data-description-blocks]:not([data-offline-queue])").forEach(initAdd);
    var errors = document.getElementById("form-errors");
    if (errors) errors.focus();
  });
})();

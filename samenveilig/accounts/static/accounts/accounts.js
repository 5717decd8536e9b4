// Accounts: a map on which a person clicks their home to fill in the latitude and longitude fields.
// <div data-point-picker data-lat-input="id_lat" data-lon-input="id_lon" data-geojson="{…}">; without JavaScript
// (or without Leaflet) the fields are typed in by hand.
(function () {
  "use strict";

  var DEFAULT_CENTRE = [52.09, 5.12];

  function readNumber(input) {
    var value = input ? parseFloat(input.value) : NaN;
    return isFinite(value) ? value : null;
  }

  function initPicker(el) {
    if (!window.L || el.dataset.pickerReady) return;
    el.dataset.pickerReady = "1";
    var latInput = document.getElementById(el.dataset.latInput);
    var lonInput = document.getElementById(el.dataset.lonInput);
    var map = L.map(el, { scrollWheelZoom: false });
    var tiles = document.body.dataset.tileUrl;
    if (tiles) {
      L.tileLayer(tiles, { maxZoom: 19, attribution: document.body.dataset.tileAttribution || "" }).addTo(map);
    }
    var marker = null;
    function place(lat, lon) {
      if (marker) marker.setLatLng([lat, lon]);
      else marker = L.circleMarker([lat, lon], { radius: 8, color: "#0b5394", weight: 3 }).addTo(map);
    }
    var bounds = null;
    if (el.dataset.geojson) {
      var layer = L.geoJSON(JSON.parse(el.dataset.geojson), {
        filter: function (feature) { return feature.geometry && feature.geometry.type !== "Point"; },
        style: function () { return { color: "#0b5394", weight: 2, fillOpacity: 0.1 }; }
      }).addTo(map);
      bounds = layer.getBounds();
    }
    var lat = readNumber(latInput), lon = readNumber(lonInput);
    if (lat !== null && lon !== null) place(lat, lon);
    if (bounds && bounds.isValid()) map.fitBounds(bounds, { padding: [8, 8] });
    else if (lat !== null && lon !== null) map.setView([lat, lon], 16);
    else map.setView(DEFAULT_CENTRE, 12);

    map.on("click", function (evt) {
      var p = evt.latlng;
      place(p.lat, p.lng);
      if (latInput) latInput.value = p.lat.toFixed(6);
      if (lonInput) lonInput.value = p.lng.toFixed(6);
    });
    [latInput, lonInput].forEach(function (input) {
      if (!input) return;
      input.addEventListener("change", function () {
        var a = readNumber(latInput), b = readNumber(lonInput);
        if (a !== null && b !== null) { place(a, b); map.panTo([a, b]); }
      });
    });
  }

  function initAll(root) {
    (root || document).querySelectorAll("[data-point-picker]").forEach(initPicker);
  }

  document.addEventListener("DOMContentLoaded", function () { initAll(document); });
  document.addEventListener("htmx:load", function (evt) { initAll(evt.target); });
})();

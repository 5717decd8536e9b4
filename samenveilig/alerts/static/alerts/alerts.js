// Alert pages. No inline scripts (strict CSP): elements opt in with data attributes. Without JavaScript the send
// form shows the coordinate fields and every target section, and the console refreshes on reload.
(function () {
  "use strict";

  var NL = [[50.75, 3.2], [53.7, 7.22]];

  function tiles(map) {
    var url = document.body.dataset.tileUrl;
    if (url) L.tileLayer(url, { maxZoom: 19, attribution: document.body.dataset.tileAttribution || "" }).addTo(map);
  }

  function changed(el) {
    el.dispatchEvent(new Event("change", { bubbles: true }));
  }

  // --- the send form --------------------------------------------------------------------------------------------
  function initKind(form) {
    var kind = form.querySelector("select[name=kind]");
    var title = form.querySelector("[name=title]"), text = form.querySelector("[name=text]");
    var urgent = form.querySelector("input[name=urgent]");
    var templates = {};
    try { templates = JSON.parse(form.dataset.templates || "{}"); } catch (e) { templates = {}; }
    var urgentKinds = (form.dataset.urgentKinds || "").split(" ");
    if (!kind || !title || !text) return;
    var previous = kind.value;
    var urgentTouched = false;
    if (urgent) urgent.addEventListener("change", function (event) { if (event.isTrusted) urgentTouched = true; });
    kind.addEventListener("change", function () {
      var before = templates[previous] || { title: "", text: "" };
      var after = templates[kind.value] || { title: "", text: "" };
      // Only replace what is still the example of the kind before, never what the sender wrote.
      if (!title.value.trim() || title.value === before.title) title.value = after.title;
      if (!text.value.trim() || text.value === before.text) text.value = after.text;
      if (urgent && !urgentTouched) urgent.checked = urgentKinds.indexOf(kind.value) >= 0;
      previous = kind.value;
    });
  }

  function initTargets(form) {
    var choices = form.querySelectorAll("[data-target-choice]");
    function show() {
      var chosen = form.querySelector("[data-target-choice]:checked");
      form.querySelectorAll("[data-target-section]").forEach(function (section) {
        section.hidden = chosen ? section.dataset.targetSection !== chosen.value : false;
      });
      if (form._alertMap) setTimeout(function () { form._alertMap.invalidateSize(); }, 0);
    }
    choices.forEach(function (choice) { choice.addEventListener("change", show); });
    show();
  }

  function initCentreMap(form) {
    var el = form.querySelector("[data-centre-map]");
    var lat = form.querySelector("input[name=lat]"), lon = form.querySelector("input[name=lon]");
    var radius = form.querySelector("input[data-radius]");
    var label = form.querySelector("[data-radius-label]");
    function radiusText() {
      var m = parseInt(radius.value, 10);
      return m >= 1000 ? (m / 1000).toLocaleString(document.documentElement.lang || "nl", { maximumFractionDigits: 1 }) + " km" : m + " m";
    }
    if (radius && label) {
      label.textContent = radiusText();
      radius.addEventListener("input", function () { label.textContent = radiusText(); });
    }
    if (!el || !window.L || !lat || !lon) return;
    el.hidden = false;
    var coords = form.querySelector("[data-coords]");
    if (coords) coords.hidden = true;
    var map = L.map(el, { scrollWheelZoom: false });
    form._alertMap = map;
    tiles(map);
    var bounds = NL;
    try { if (el.dataset.bounds) bounds = JSON.parse(el.dataset.bounds); } catch (e) { bounds = NL; }
    map.fitBounds(bounds);
    var centre = null, circle = null;
    function place(latlng) {
      lat.value = latlng.lat.toFixed(6);
      lon.value = latlng.lng.toFixed(6);
      var r = parseInt(radius.value, 10) || 1000;
      if (centre) { centre.setLatLng(latlng); circle.setLatLng(latlng); } else {
        circle = L.circle(latlng, { radius: r, color: "#b00020", weight: 2, fillOpacity: 0.12, interactive: false }).addTo(map);
        centre = L.circleMarker(latlng, { radius: 6, color: "#b00020", weight: 3, fillOpacity: 0.8, interactive: false }).addTo(map);
      }
      changed(lat);
    }
    if (lat.value && lon.value && !isNaN(parseFloat(lat.value))) {
      var start = L.latLng(parseFloat(lat.value), parseFloat(lon.value));
      place(start);
      map.fitBounds(start.toBounds((parseInt(radius.value, 10) || 1000) * 2), { padding: [8, 8] });
    }
    map.on("click", function (event) { place(event.latlng); });
    if (radius) {
      radius.addEventListener("input", function () {
        if (circle) circle.setRadius(parseInt(radius.value, 10) || 1000);
      });
    }
  }

  // --- the console ----------------------------------------------------------------------------------------------
  var PIN_COLOURS = { seen: "#b00020", not_seen: "#555555", info: "#0b5394" };

  function initConsole(el) {
    if (!window.L || el.dataset.mapReady) return;
    var target;
    try { target = JSON.parse(el.dataset.target); } catch (e) { return; }
    el.dataset.mapReady = "1";
    el.hidden = false;
    var map = L.map(el, { scrollWheelZoom: false });
    tiles(map);
    var shape = null, bounds = null;
    if (target.radius) {
      // A circle knows its bounds only once it is on a map with a view: compute them from the centre instead.
      bounds = L.latLng(target.lat, target.lon).toBounds(target.radius * 2);
      shape = L.circle([target.lat, target.lon], { radius: target.radius, color: "#b00020", weight: 2, fillOpacity: 0.08, interactive: false });
    } else if (target.areas && target.areas.length) {
      shape = L.geoJSON({ type: "GeometryCollection", geometries: target.areas }, {
        style: function () { return { color: "#b00020", weight: 2, fillOpacity: 0.08 }; }, interactive: false
      });
      bounds = shape.getBounds();
    }
    if (bounds && bounds.isValid()) map.fitBounds(bounds, { padding: [8, 8] }); else map.setView([target.lat, target.lon], 14);
    if (shape) shape.addTo(map);
    var pins = L.layerGroup().addTo(map);
    function draw() {
      var holder = document.querySelector("#console-parts [data-pins]");
      var list = [];
      try { list = JSON.parse(holder ? holder.dataset.pins : "[]"); } catch (e) { list = []; }
      pins.clearLayers();
      list.forEach(function (pin) {
        L.circleMarker([pin.lat, pin.lon], {
          radius: 8, color: PIN_COLOURS[pin.kind] || "#0b5394", weight: 3, fillOpacity: 0.6,
          className: "sv-pin sv-pin--" + pin.kind
        }).bindTooltip(pin.label + " " + new Date(pin.at).toLocaleTimeString()).addTo(pins);
      });
      el.dataset.pins = String(list.length);
    }
    draw();
    document.body.addEventListener("htmx:afterSwap", function (event) {
      if (event.detail && event.detail.target && event.detail.target.id === "console-parts") draw();
    });
  }

  // --- the answer form ------------------------------------------------------------------------------------------
  function initAnswer(form) {
    var actions = form.querySelector("[data-location-actions]");
    var button = form.querySelector("[data-use-location]");
    var text = form.querySelector("[data-location-text]");
    var lat = form.querySelector("[data-answer-lat]"), lon = form.querySelector("[data-answer-lon]");
    if (!actions || !button || !navigator.geolocation) return;
    actions.hidden = false;
    button.addEventListener("click", function () {
      navigator.geolocation.getCurrentPosition(function (position) {
        lat.value = position.coords.latitude.toFixed(6);
        lon.value = position.coords.longitude.toFixed(6);
        text.textContent = text.dataset.msgSet;
        form.dataset.located = "1";
      }, function () { text.textContent = text.dataset.msgFailed; }, { enableHighAccuracy: true, timeout: 15000 });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-alert-form]").forEach(function (form) {
      initKind(form);
      initCentreMap(form);
      initTargets(form);
    });
    document.querySelectorAll("[data-console-map]").forEach(initConsole);
    document.querySelectorAll("form[data-answer-form]").forEach(initAnswer);
    var errors = document.getElementById("form-errors");
    if (errors) errors.focus();
  });
})();

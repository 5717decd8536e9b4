// Push messages on this device: the switch on the settings page ("Hoe je van ons hoort", section [data-push]).
// No inline script (strict CSP): the page gives the URLs and every text in data attributes, in the reader's language.
//
// On: ask permission, register the push service worker (scope /push/), subscribe with the server's public key and
// store the subscription through the API (POST /api/v1/push/subscriptions, with the CSRF token). Off: unsubscribe in
// the browser and remove it on the server (DELETE …?endpoint=). On every visit an existing subscription is stored
// again (the server updates, never doubles), so a server that lost it, or a subscription the browser renewed, heals.
(function () {
  "use strict";

  var box = document.querySelector("[data-push]");
  if (!box) return;
  var button = box.querySelector("[data-push-toggle]");
  var status = box.querySelector("[data-push-status]");
  var d = box.dataset;

  function say(name, detail) {
    status.textContent = detail || d["msg" + name] || "";
    box.dataset.state = name.toLowerCase();
  }

  if (!("serviceWorker" in navigator) || !("PushManager" in window) || !("Notification" in window)) {
    say("Unsupported");
    return;
  }

  function csrfToken() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function api(method, url, body) {
    var headers = { "Accept": "application/json", "X-CSRFToken": csrfToken() };
    if (body) headers["Content-Type"] = "application/json";
    return fetch(url, {
      method: method,
      credentials: "same-origin",
      headers: headers,
      body: body ? JSON.stringify(body) : undefined
    });
  }

  // A refusal of the server (problem+json) as an Error with its message, in the reader's language.
  function failed(response) {
    return response.json().catch(function () { return {}; }).then(function (problem) {
      var fields = problem.fields || {};
      var first = Object.keys(fields).map(function (k) { return fields[k][0]; })[0];
      throw new Error(first || problem.detail || d.msgError);
    });
  }

  function bytes(base64url) {
    var padded = base64url.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((base64url.length + 3) % 4);
    var raw = atob(padded);
    var out = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
    return out;
  }

  function sameKey(buffer, key) {
    if (!buffer) return true;  // the browser does not tell: assume it is ours
    var a = new Uint8Array(buffer);
    if (a.length !== key.length) return false;
    for (var i = 0; i < a.length; i++) if (a[i] !== key[i]) return false;
    return true;
  }

  var serverKey = null;
  function key() {
    if (serverKey) return Promise.resolve(serverKey);
    return api("GET", d.keyUrl).then(function (response) {
      if (!response.ok) return failed(response);
      return response.json().then(function (json) { serverKey = bytes(json.public_key); return serverKey; });
    });
  }

  // The registration of the push worker, once it is active (PushManager.subscribe needs an active worker).
  function registration() {
    return navigator.serviceWorker.register(d.swUrl, { scope: d.swScope }).then(function (reg) {
      var worker = reg.installing || reg.waiting;
      if (reg.active || !worker) return reg;
      return new Promise(function (resolve) {
        worker.addEventListener("statechange", function () { if (worker.state === "activated") resolve(reg); });
      });
    });
  }

  function store(subscription) {
    return api("POST", d.subscriptionsUrl, subscription.toJSON()).then(function (response) {
      if (!response.ok) return failed(response);
    });
  }

  function show(on) {
    button.textContent = on ? d.labelOff : d.labelOn;
    button.setAttribute("aria-pressed", on ? "true" : "false");
    button.hidden = false;
    say(on ? "On" : "Off");
  }

  // The choices form on the page is unchanged: reloading (to refresh the list of devices) loses nothing.
  function formUnchanged() {
    var form = document.querySelector("main form.sv-form");
    if (!form) return true;
    return Array.prototype.every.call(form.elements, function (el) {
      if (el.type === "checkbox" || el.type === "radio") return el.checked === el.defaultChecked;
      return !("defaultValue" in el) || el.value === el.defaultValue;
    });
  }

  function switchOn(reg) {
    return Notification.requestPermission().then(function (permission) {
      if (permission !== "granted") { say("Blocked"); return false; }
      return key().then(function (serverKeyBytes) {
        return reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: serverKeyBytes });
      }).then(function (subscription) {
        return store(subscription).catch(function (err) {
          return subscription.unsubscribe().then(function () { throw err; });  // the server refused it: undo
        });
      }).then(function () { return true; });
    });
  }

  function switchOff(reg) {
    return reg.pushManager.getSubscription().then(function (subscription) {
      if (!subscription) return false;
      var endpoint = subscription.endpoint;
      return subscription.unsubscribe().then(function () {
        return api("DELETE", d.subscriptionsUrl + "?endpoint=" + encodeURIComponent(endpoint));
      }).then(function (response) {
        if (!response.ok && response.status !== 404) return failed(response);  // 404: the server had forgotten it
        return false;
      });
    });
  }

  var busy = false;
  function toggle() {
    if (busy) return;
    busy = true;
    button.disabled = true;
    say("Busy");
    var on = button.getAttribute("aria-pressed") === "true";
    registration().then(function (reg) { return on ? switchOff(reg) : switchOn(reg); }).then(function (nowOn) {
      if (box.dataset.state === "blocked") { show(false); say("Blocked"); return; }
      show(nowOn);
      if (formUnchanged()) window.location.reload();
    }).catch(function (err) {
      show(on);
      say("Error", err && err.message);
    }).then(function () { busy = false; button.disabled = false; });
  }

  // The state of this device: on when the browser holds a subscription for our key (stored again, see above).
  function init() {
    button.addEventListener("click", toggle);
    if (Notification.permission === "denied") { show(false); say("Blocked"); return; }
    navigator.serviceWorker.getRegistration(d.swScope).then(function (reg) {
      if (!reg || !reg.active) return show(false);
      return reg.pushManager.getSubscription().then(function (subscription) {
        if (!subscription) return show(false);
        return key().then(function (serverKeyBytes) {
          if (!sameKey(subscription.options && subscription.options.applicationServerKey, serverKeyBytes)) {
            // Subscribed with a key the server no longer has: those messages could never be signed. Start over.
            return subscription.unsubscribe().then(function () { show(false); });
          }
          return store(subscription).then(function () { show(true); });
        });
      });
    }).catch(function (err) { show(false); say("Error", err && err.message); });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();

// The push service worker of Samen Veilig: shows each push message as a notification and opens its link on a click.
// Served at /push/sw.js with the scope /push/ (integrations/push/views.py says why); it controls no page and has no
// fetch handler. A message is the JSON {title, body, link, key}; the key is the notification's tag, so a message that
// arrives twice (a retried delivery) replaces itself instead of showing twice. A subscription the push service
// replaced is renewed on the server (pushsubscriptionchange, below).
"use strict";

var FALLBACK = "/berichten/";
var RENEWALS = "/api/v1/push/renewals";

self.addEventListener("install", function () { self.skipWaiting(); });

self.addEventListener("push", function (event) {
  var data = {};
  if (event.data) {
    try { data = event.data.json(); } catch (err) { data = { body: event.data.text() }; }
  }
  var options = { body: data.body || "", data: { link: data.link || FALLBACK } };
  if (data.key) options.tag = data.key;
  event.waitUntil(self.registration.showNotification(data.title || "Samen Veilig", options));
});

// Only pages of this site are opened: a link to elsewhere opens the same path here.
function targetOf(notification) {
  var link = (notification.data && notification.data.link) || FALLBACK;
  var url;
  try { url = new URL(link, self.location.origin); } catch (err) { url = new URL(FALLBACK, self.location.origin); }
  if (url.origin !== self.location.origin) url = new URL(url.pathname + url.search + url.hash, self.location.origin);
  return url.href;
}

self.addEventListener("notificationclick", function (event) {
  event.notification.close();
  var target = targetOf(event.notification);
  event.waitUntil(
    self.clients.matchAll({ type: "window", includeUncontrolled: true }).then(function (windows) {
      for (var i = 0; i < windows.length; i++) {
        if (windows[i].url === target && "focus" in windows[i]) return windows[i].focus();
      }
      return self.clients.openWindow(target);
    })
  );
});

// A push service may replace a subscription (a new endpoint and keys; the old endpoint soon answers 410 and the
// server forgets it). Tell the server at once, or this device silently stops getting messages until its person next
// opens the settings page. No login is needed (a worker has no CSRF token): the old endpoint and its auth secret,
// which only this browser and the server know, prove the device. Without the old subscription there is no proof,
// and the settings page's visit heals it. Resolves to the server's HTTP status, or null.
function base64url(buffer) {
  var bytes = new Uint8Array(buffer);
  var text = "";
  for (var i = 0; i < bytes.length; i++) text += String.fromCharCode(bytes[i]);
  return btoa(text).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function renewal(oldSubscription, newSubscription) {
  if (!oldSubscription || !oldSubscription.getKey || !oldSubscription.getKey("auth")) return Promise.resolve(null);
  var fresh = newSubscription ? Promise.resolve(newSubscription) : self.registration.pushManager.subscribe({
    userVisibleOnly: true,
    applicationServerKey: oldSubscription.options && oldSubscription.options.applicationServerKey
  });
  return fresh.then(function (subscription) {
    return fetch(RENEWALS, {
      method: "POST",
      credentials: "omit",
      headers: { "Content-Type": "application/json", "Accept": "application/json" },
      body: JSON.stringify({
        old_endpoint: oldSubscription.endpoint,
        old_auth: base64url(oldSubscription.getKey("auth")),
        subscription: subscription.toJSON()
      })
    });
  }).then(function (response) { return response.status; }, function () { return null; });
}
self.svPushRenewal = renewal;  // the browser test calls it as the event would (a test cannot fire the event)

self.addEventListener("pushsubscriptionchange", function (event) {
  event.waitUntil(renewal(event.oldSubscription, event.newSubscription));
});

// The push service worker of Samen Veilig: shows each push message as a notification and opens its link on a click.
// Served at /push/sw.js with the scope /push/ (integrations/push/views.py says why); it controls no page and has no
// fetch handler. A message is the JSON {title, body, link, key}; the key is the notification's tag, so a message that
// arrives twice (a retried delivery) replaces itself instead of showing twice.
"use strict";

var FALLBACK = "/berichten/";

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

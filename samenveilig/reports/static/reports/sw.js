// The service worker of the offline report queue (scope /meldingen/). It keeps no pages in a cache (they hold
// personal data); it only sends the reports that the page put in IndexedDB (see queue.js), on Background Sync
// "send-reports", with the same idempotency token, and deletes each one once the server answered 2xx. A refusal
// (4xx other than 401/403/408/429) is kept as "rejected" for the page to show; everything else is tried again.
"use strict";

var DB = "sv-reports", STORE = "queue";
var RETRY = { 0: true, 401: true, 403: true, 408: true, 429: true };

self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (event) { event.waitUntil(self.clients.claim()); });

function openDb() {
  return new Promise(function (resolve, reject) {
    var request = indexedDB.open(DB, 1);
    request.onupgradeneeded = function () { request.result.createObjectStore(STORE, { keyPath: "key" }); };
    request.onsuccess = function () {
      var db = request.result;
      db.onversionchange = function () { db.close(); };
      resolve(db);
    };
    request.onerror = function () { reject(request.error); };
  });
}

function run(mode, fn) {
  return openDb().then(function (db) {
    return new Promise(function (resolve, reject) {
      var tx = db.transaction(STORE, mode), out = {};
      tx.oncomplete = function () { db.close(); resolve(out.value); };
      tx.onerror = tx.onabort = function () { db.close(); reject(tx.error); };
      fn(tx.objectStore(STORE), out);
    });
  });
}

function all() {
  return run("readonly", function (store, out) {
    store.getAll().onsuccess = function (event) { out.value = event.target.result || []; };
  });
}

function formData(item) {
  var data = new FormData();
  item.entries.forEach(function (entry) {
    var value = entry[1];
    if (value && typeof value === "object" && value.blob) data.append(entry[0], value.blob, value.name);
    else data.append(entry[0], value);
  });
  return data;
}

function tell(message) {
  return self.clients.matchAll({ type: "window" }).then(function (clients) {
    clients.forEach(function (client) { client.postMessage(message); });
  });
}

function sendItem(item) {
  return fetch(item.url, {
    method: "POST", body: formData(item), credentials: "same-origin", redirect: "manual",
    headers: { "Accept": "application/json", "X-Requested-With": "fetch" }
  }).then(function (response) {
    if (response.ok) {
      return response.json().catch(function () { return {}; }).then(function (json) {
        return run("readwrite", function (store) { store.delete(item.key); }).then(function () {
          return tell({ type: "sent", key: item.key, url: json.url || "" });
        });
      });
    }
    if (RETRY[response.status] || response.status >= 500 || response.type === "opaqueredirect") {
      throw new Error("retry later");
    }
    return response.json().catch(function () { return {}; }).then(function (json) {
      item.status = "rejected";
      item.error = json.message || String(response.status);
      return run("readwrite", function (store) { store.put(item); });
    });
  });
}

function sendAll() {
  // One sender at a time, shared with the pages (queue.js): the queue is read inside the lock.
  function send() {
    return all().then(function (items) {
      return items.filter(function (i) { return i.status !== "rejected"; }).reduce(function (chain, item) {
        return chain.then(function () { return sendItem(item); });
      }, Promise.resolve());
    });
  }
  return self.navigator && navigator.locks ? navigator.locks.request("sv-reports-send", send) : send();
}

self.addEventListener("sync", function (event) {
  if (event.tag === "send-reports") event.waitUntil(sendAll());  // a rejection makes the browser retry later
});

self.addEventListener("message", function (event) {
  if (event.data && event.data.type === "clear") {
    event.waitUntil(new Promise(function (resolve) {
      var request = indexedDB.deleteDatabase(DB);
      request.onsuccess = request.onerror = request.onblocked = function () { resolve(); };
    }));
  }
});

// The offline queue of reports (issue 4, "nothing lost, nothing doubled"). Loaded on every page (no inline
// scripts: strict CSP); what it does depends on the page:
//  * a form with data-offline-queue is sent with fetch (Accept: application/json). Without a connection, or when
//    the request fails on the network, the form data (text fields and photo files) goes into IndexedDB and is sent
//    later with the same hidden idempotency token, so the server stores it once.
//  * pages under /meldingen/ register the service worker (/meldingen/sw.js, Background Sync "send-reports") and
//    send what is queued on load and when the browser comes back online. The service worker does the same on sync.
//  * an item is deleted once the server answered 2xx. A refusal (4xx other than 401/403/408/429) is kept, marked
//    "rejected" with the server's message, and shown on the report pages until the person removes it: the person
//    sees why, nothing disappears silently. 401/403 (signed out, expired CSRF token), 408, 429 and 5xx are retried.
//  * the queue holds personal data: logging out (any form posting to the logout URL) deletes the database, and so
//    does every page shown to a signed-out visitor.
(function () {
  "use strict";

  var DB = "sv-reports", STORE = "queue";
  var body = document.body;
  if (!body || !window.indexedDB) return;
  var signedIn = body.dataset.signedIn === "1";

  function clearQueue() {
    return new Promise(function (resolve) {
      var request;
      try { request = indexedDB.deleteDatabase(DB); } catch (e) { resolve(); return; }
      request.onsuccess = request.onerror = function () { resolve(); };
      request.onblocked = function () { resolve(); };  // finishes once the other connections close
    });
  }

  function openDb() {
    return new Promise(function (resolve, reject) {
      var request = indexedDB.open(DB, 1);
      request.onupgradeneeded = function () { request.result.createObjectStore(STORE, { keyPath: "key" }); };
      request.onsuccess = function () {
        var db = request.result;
        db.onversionchange = function () { db.close(); };  // let a logout delete the database
        resolve(db);
      };
      request.onerror = function () { reject(request.error); };
    });
  }

  function withStore(mode, fn) {
    return openDb().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(STORE, mode), result;
        tx.oncomplete = function () { db.close(); resolve(result); };
        tx.onerror = tx.onabort = function () { db.close(); reject(tx.error); };
        result = fn(tx.objectStore(STORE));
      });
    });
  }

  function all() {
    return openDb().then(function (db) {
      return new Promise(function (resolve, reject) {
        var request = db.transaction(STORE, "readonly").objectStore(STORE).getAll();
        request.onsuccess = function () { db.close(); resolve(request.result || []); };
        request.onerror = function () { db.close(); reject(request.error); };
      });
    });
  }

  function put(item) { return withStore("readwrite", function (store) { store.put(item); }); }
  function remove(key) { return withStore("readwrite", function (store) { store.delete(key); }); }

  function csrfToken() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function toFormData(item) {
    var data = new FormData(), token = csrfToken();
    item.entries.forEach(function (entry) {
      var name = entry[0], value = entry[1];
      if (name === "csrfmiddlewaretoken" && token) value = token;  // a fresh token if the session was renewed
      if (value && typeof value === "object" && value.blob) data.append(name, value.blob, value.name);
      else data.append(name, value);
    });
    return data;
  }

  function post(url, data) {
    return fetch(url, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      redirect: "manual",
      headers: { "Accept": "application/json", "X-Requested-With": "fetch" }
    });
  }

  var RETRY = { 0: true, 401: true, 403: true, 408: true, 429: true };

  // Send one queued item. Resolves to {sent: url} | {rejected: message} | {kept: true}.
  function sendItem(item) {
    return post(item.url, toFormData(item)).then(function (response) {
      if (response.ok) {
        return response.json().catch(function () { return {}; }).then(function (json) {
          return remove(item.key).then(function () { return { sent: json.url || "" }; });
        });
      }
      if (RETRY[response.status] || response.status >= 500 || response.type === "opaqueredirect") return { kept: true };
      return response.json().catch(function () { return {}; }).then(function (json) {
        item.status = "rejected";
        item.error = json.message || String(response.status);
        return put(item).then(function () { return { rejected: item.error }; });
      });
    }, function () { return { kept: true }; });  // still no network
  }

  // One sender at a time across this page, other tabs and the service worker (Web Locks): the server would store
  // a report once anyway (the idempotency token), but two senders would post it twice.
  function withLock(fn) {
    return navigator.locks ? navigator.locks.request("sv-reports-send", fn) : fn();
  }

  var flushing = false;
  function flush() {
    if (flushing || !navigator.onLine) return Promise.resolve();
    flushing = true;
    return withLock(function () {
      return all().then(function (items) {
        var waiting = items.filter(function (i) { return i.status !== "rejected"; });
        return waiting.reduce(function (chain, item) {
          return chain.then(function () {
            return sendItem(item).then(function (outcome) { if (outcome.sent !== undefined) announce("sent", outcome.sent); });
          });
        }, Promise.resolve());
      });
    }).catch(function () {}).then(function () { flushing = false; return render(); });
  }

  // --- what the page shows --------------------------------------------------------------------------------------
  function status() { return document.querySelector("[data-queue-status]"); }

  function announce(state, url) {
    var box = status();
    if (!box) return;
    var text = box.querySelector("[data-queue-text]");
    box.hidden = false;
    box.dataset.state = state;
    text.textContent = box.dataset["msg" + state.charAt(0).toUpperCase() + state.slice(1)] || "";
    if (state === "sent" && url) {
      var link = document.createElement("a");
      link.className = "utrecht-link";
      link.href = url;
      link.textContent = box.dataset.msgView || url;
      text.appendChild(document.createTextNode(" "));
      text.appendChild(link);
    }
  }

  function render() {
    var list = document.querySelector("[data-queue-list]");
    if (!list) return Promise.resolve();
    return all().then(function (items) {
      var ul = list.querySelector("[data-queue-items]");
      ul.textContent = "";
      items.forEach(function (item) {
        var li = document.createElement("li");
        li.className = "utrecht-unordered-list__item";
        li.dataset.queueItem = item.key;
        var label = item.status === "rejected" ? list.dataset.msgRejected : list.dataset.msgWaiting;
        li.appendChild(document.createTextNode(label + ": " + (item.what || "").slice(0, 80)));
        if (item.status === "rejected") {
          li.appendChild(document.createTextNode(" — " + (item.error || "")));
          var button = document.createElement("button");
          button.type = "button";
          button.className = "utrecht-button utrecht-button--subtle";
          button.textContent = list.dataset.msgDiscard;
          button.addEventListener("click", function () { remove(item.key).then(render); });
          li.appendChild(document.createTextNode(" "));
          li.appendChild(button);
        }
        ul.appendChild(li);
      });
      list.hidden = items.length === 0;
    }).catch(function () {});
  }

  function registerSync() {
    if (!("serviceWorker" in navigator)) return;
    navigator.serviceWorker.ready.then(function (registration) {
      if (registration.sync) return registration.sync.register("send-reports");
    }).catch(function () {});
  }

  function entriesOf(form, submitter) {
    var data = new FormData(form);
    if (submitter && submitter.name) data.append(submitter.name, submitter.value);
    var entries = [];
    data.forEach(function (value, name) {
      if (value instanceof File) {
        if (value.size) entries.push([name, { blob: value, name: value.name }]);
      } else {
        entries.push([name, value]);
      }
    });
    return entries;
  }

  function queue(form, entries) {
    var key = form.querySelector("input[name=idempotency_key]").value;
    var what = form.querySelector("[name=what]");
    return put({ key: key, url: form.action, entries: entries, what: what ? what.value : "", status: "queued",
                 created: Date.now() })
      .then(function () {
        // A fresh form for a next report: this one keeps its token in the queue.
        form.reset();
        if (window.crypto && crypto.randomUUID) form.querySelector("input[name=idempotency_key]").value = crypto.randomUUID();
        announce("queued");
        registerSync();
        return render();
      });
  }

  function onSubmit(event) {
    var form = event.target;
    if (!form.matches("form[data-offline-queue]")) return;
    var submitter = event.submitter;
    if (submitter && submitter.name === "more") return;  // "Add a person" without JavaScript
    event.preventDefault();
    var entries = entriesOf(form, submitter);
    var sendButton = form.querySelector("[data-send]");
    if (!navigator.onLine) { queue(form, entries); return; }
    if (sendButton) sendButton.disabled = true;
    announce("sending");
    var data = new FormData();
    entries.forEach(function (e) { if (typeof e[1] === "object") data.append(e[0], e[1].blob, e[1].name); else data.append(e[0], e[1]); });
    post(form.action, data).then(function (response) {
      if (response.ok) {
        return response.json().then(function (json) { window.location.assign(json.url); });
      }
      if (response.status === 401 || response.type === "opaqueredirect") return queue(form, entries);
      // Refused input (422 with the fields, 409, 404): let the server render the page with its messages.
      if (sendButton) sendButton.disabled = false;
      form.removeAttribute("data-offline-queue");
      HTMLFormElement.prototype.submit.call(form);
    }, function () {
      if (sendButton) sendButton.disabled = false;
      return queue(form, entries);  // the network failed: keep it and send it later
    });
  }

  function onLogout(event) {
    var form = event.target;
    if (form.tagName !== "FORM" || (form.getAttribute("action") || "") !== body.dataset.logoutUrl) return;
    if (form.dataset.queueCleared) return;
    event.preventDefault();
    if ("serviceWorker" in navigator && navigator.serviceWorker.controller) {
      navigator.serviceWorker.controller.postMessage({ type: "clear" });
    }
    var done = false;
    function go() { if (done) return; done = true; form.dataset.queueCleared = "1"; HTMLFormElement.prototype.submit.call(form); }
    clearQueue().then(go);
    setTimeout(go, 1500);
  }

  document.addEventListener("submit", onLogout, true);

  if (!signedIn) {
    clearQueue();
    return;
  }

  document.addEventListener("submit", onSubmit);
  var underReports = window.location.pathname.indexOf("/meldingen/") === 0;
  if (underReports) {
    if ("serviceWorker" in navigator && body.dataset.swUrl) {
      navigator.serviceWorker.register(body.dataset.swUrl, { scope: "/meldingen/" }).catch(function () {});
      navigator.serviceWorker.addEventListener("message", function (event) {
        if (event.data && event.data.type === "sent") { announce("sent", event.data.url); render(); }
      });
    }
    window.addEventListener("online", flush);
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", flush);
    else flush();
  }
  window.svReportQueue = { all: all, put: put, flush: flush, clear: clearQueue };
})();

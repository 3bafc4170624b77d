// The phone's outbox, the part a page and the service worker share: the
// IndexedDB store of entries, sending one, and what each answer means. A
// page (outbox.js) saves entries and sends them while the app is open; the
// service worker (sw.js) sends them on Background Sync, where the browser
// offers it, when the phone is back online and the app is closed.
// Loaded with a plain <script> in pages and importScripts() in the worker:
// no DOM here.
(function (scope) {
  if (!scope.indexedDB || !scope.fetch) return;

  var DB_NAME = "meso-outbox";
  var STORE = "entries";
  var ENDPOINT = "/api/entries";
  var PHOTOS = "/api/photos";
  var PARK_AFTER = 6; // failed tries
  var LOCK = "meso-outbox";

  // --- IndexedDB ---------------------------------------------------------

  var opened = null;
  function db() {
    if (!opened) {
      opened = new Promise(function (resolve, reject) {
        var request = indexedDB.open(DB_NAME, 1);
        request.onupgradeneeded = function () {
          request.result.createObjectStore(STORE, { keyPath: "key" });
        };
        request.onsuccess = function () { resolve(request.result); };
        request.onerror = function () { reject(request.error); };
      });
    }
    return opened;
  }
  // Resolves once the transaction is on disk ("strict": not only in the
  // browser's memory), with what `work` returned.
  function transaction(mode, work) {
    return db().then(function (database) {
      return new Promise(function (resolve, reject) {
        var tx = database.transaction(STORE, mode, { durability: "strict" });
        var result = work(tx.objectStore(STORE));
        tx.oncomplete = function () { resolve(result && "result" in result ? result.result : undefined); };
        tx.onerror = tx.onabort = function () { reject(tx.error); };
      });
    });
  }
  function put(entry) { return transaction("readwrite", function (s) { s.put(entry); }); }
  function remove(key) { return transaction("readwrite", function (s) { s.delete(key); }); }
  function clearAll() { return transaction("readwrite", function (s) { s.clear(); }); }
  function entries() {
    return transaction("readonly", function (s) { return s.getAll(); }).then(function (all) {
      return (all || []).sort(function (a, b) { return a.created - b.created; });
    });
  }


  // --- Sending -------------------------------------------------------------

  // {status, errors}: status 0 for no answer at all (no connection).
  function send(entry) {
    try {
      return sendAs(entry);
    } catch (e) {
      // Damaged on the phone (a photo's data gone, fields not readable): it
      // can never be sent, and must not hold back the entries after it.
      return Promise.resolve({ status: 0, broken: true, errors: { form: "It could not be read on this phone." }, body: null });
    }
  }
  function sendAs(entry) {
    if (entry.kind === "photo") {
      // The photo's bytes are read first: a blob the browser has lost (its
      // file gone from the profile) makes fetch fail like a missing signal,
      // and the entry would wait for ever in front of the others.
      return entry.blob.slice(0, 1).arrayBuffer().then(function () { return post(entry); }, function () {
        return { status: 0, broken: true, errors: { form: "The photo could not be read on this phone." }, body: null };
      });
    }
    return post(entry);
  }
  function post(entry) {
    var request = { method: "POST", credentials: "same-origin", cache: "no-store" };
    var url = ENDPOINT;
    if (entry.kind === "photo") {
      // Through the upload route, as the form sends it; the key makes a
      // second send of the same photo store nothing.
      url = PHOTOS;
      var form = new FormData();
      Object.keys(entry.fields).forEach(function (name) { form.append(name, entry.fields[name]); });
      form.append("upload_key", entry.key);
      form.append("photos", entry.blob, entry.filename || "photo.jpg");
      request.body = form;
      request.headers = { Accept: "application/json" };
    } else {
      request.body = JSON.stringify({ key: entry.key, kind: entry.kind, parent: entry.parent, fields: entry.fields });
      request.headers = { "Content-Type": "application/json", Accept: "application/json" };
    }
    // Whose entry it is: the server stores it only under that patient's
    // cookie (a shared phone may have another patient signed in by now).
    request.headers["X-Meso-Owner"] = encodeURIComponent(entry.owner);
    return fetch(url, request).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (json) {
        return { status: response.status, errors: json.errors || null, body: json };
      });
    }, function () {
      return { status: 0, errors: null, body: null };
    });
  }
  function stored(answer) { return answer.status >= 200 && answer.status < 300; }
  // Not signed in, or another patient is: it waits for its patient to sign in.
  function waitsForSignIn(answer) { return answer.status === 401 || answer.status === 403; }
  function refused(answer) { return answer.broken === true || answer.status === 409 || answer.status === 422 || answer.status === 413 || answer.status === 415; }
  // Not sent this time. No answer at all (no signal) only waits: it is sent
  // when the phone is back, however long that takes. A server that answers
  // with an error counts, and after PARK_AFTER of those in a row the entry
  // is parked with a button, so it does not hold back the others.
  function later(entry, answer) {
    if (answer.status >= 500) {
      entry.tries = (entry.tries || 0) + 1;
    }
    entry.state = (entry.tries || 0) >= PARK_AFTER ? "parked" : "waiting";
    // 5 s, 10 s, 20 s … up to a minute; "online", the socket coming back and
    // the app coming to the front send at once anyway.
    entry.next = Date.now() + Math.min(60000, 5000 * Math.pow(2, Math.max(0, (entry.tries || 0) - 1)));
  }


  // Sends this patient's entries that are due, oldest first, and resolves
  // with the keys the server stored. `now`: the connection looks back
  // (online, the socket, the app in front again): every waiting entry is
  // tried whatever its backoff said.
  function sendWaiting(owner, now) {
    var sent = [];
    return entries().then(function (all) {
      var t = Date.now();
      var queue = all.filter(function (e) {
        // "sending" for a minute: its tab closed before the answer came.
        var due = e.state === "waiting" || e.state === "signin" || (e.state === "sending" && e.created < t - 60000);
        return e.owner === owner && due && (now || (e.next || 0) <= t);
      });
      function next(i) {
        if (i >= queue.length) return null;
        var entry = queue[i];
        return send(entry).then(function (answer) {
          if (stored(answer)) {
            return remove(entry.key).then(function () {
              sent.push(entry.key);
              return next(i + 1);
            });
          }
          if (refused(answer)) {
            entry.state = "refused";
            entry.errors = answer.errors || { form: "The server did not accept this entry." };
            return put(entry).then(function () { return next(i + 1); });
          }
          if (waitsForSignIn(answer)) {
            // Every entry would get the same answer: all wait for a sign-in.
            return Promise.all(queue.slice(i).map(function (e) { e.state = "signin"; return put(e); }));
          }
          later(entry, answer);
          // No connection (or a server in trouble): the rest wait with it, in order.
          return put(entry);
        });
      }
      return next(0);
    }).then(function () { return sent; });
  }

  // One flush at a time, across the patient's tabs and the service worker
  // too; resolves with the keys stored, or [] if another flush was running.
  var flushing = false;
  function flush(owner, now) {
    var run = function () { return sendWaiting(owner, now === true); };
    if (scope.navigator && navigator.locks && navigator.locks.request) {
      return navigator.locks.request(LOCK, { ifAvailable: true }, function (lock) {
        return lock ? run() : [];
      });
    }
    if (flushing) return Promise.resolve([]);
    flushing = true;
    return run().then(function (sent) { flushing = false; return sent; }, function (error) { flushing = false; throw error; });
  }

  // Empties the outbox once no flush is running (a flush puts back what it
  // could not send: clearing under the same lock, nothing comes back).
  function clearWhenIdle() {
    if (scope.navigator && navigator.locks && navigator.locks.request) {
      return navigator.locks.request(LOCK, function () { return clearAll(); });
    }
    return clearAll();
  }

  scope.mesoOutboxCore = {
    clearWhenIdle: clearWhenIdle,
    put: put,
    remove: remove,
    clearAll: clearAll,
    entries: entries,
    db: db,
    send: send,
    stored: stored,
    waitsForSignIn: waitsForSignIn,
    refused: refused,
    later: later,
    flush: flush,
  };
})(self);

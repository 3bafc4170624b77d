// The phone's outbox: a new session, a check-in or a measurement is written
// here first, then sent to /api/entries, with or without a connection.
//
// A save on a form marked data-outbox never goes through the websocket: a
// Reflex event queued while offline is lost on reload and blocks the events
// after it. The entry is put in IndexedDB (a durable transaction) under an id
// made here, its key, and leaves only once the server has answered 2xx. The
// server stores each key once (store/entries.py), so sending again after a
// lost answer is always safe.
//
// The form's own handler still shows the outcome: the server's answer is
// handed to it in the form's data (outbox_answer), and it shows "saved" or
// the refusals field by field exactly as for a save through the page
// (state/base.saves_form). With no connection the page says the entry is
// saved on this phone, and the timeline lists what waits (data-outbox-list).
//
// Sending (outbox-core.js): oldest first, one flush at a time, on page load,
// when the phone comes back online or to the foreground, every 30 s, after
// each save, and through Background Sync where the browser has it (sw.js).
// A network error or a 5xx is tried again later, more slowly each time, and
// after several failures the entry is parked with a button to try again,
// so it never blocks the others. 401: kept until the patient signs in
// again. 409 or 422: shown as refused with the server's words, never sent
// again as it is.
//
// Entries belong to the patient who saved them (data-owner): they are only
// sent while that patient is signed in here (the server refuses them under
// another cookie anyway), only shown to them, and signing out removes them
// all, after a warning if any is still waiting.
(function () {
  if (!window.indexedDB || !window.fetch || !window.crypto || !crypto.randomUUID) return;

  var TIMER_MS = 30000;
  var OVERDUE_MS = 3 * 24 * 3600 * 1000;
  // drafts.js, loaded before this script on the app's pages (not on the
  // offline page, which has no form): a form's input, as it keeps it.
  var drafts = window.mesoDrafts || null;

  // outbox-core.js, loaded before this script: the store and sending.
  var core = window.mesoOutboxCore;
  if (!core) return;
  var put = core.put, remove = core.remove, clearAll = core.clearAll, entries = core.entries, db = core.db;
  var send = core.send, stored = core.stored, waitsForSignIn = core.waitsForSignIn, refused = core.refused;
  var later = core.later;

  // --- Who is signed in ----------------------------------------------------

  // The patient the page was rendered for ("" until its data is in).
  function currentOwner() {
    var marked = document.querySelectorAll("[data-owner]");
    for (var i = 0; i < marked.length; i++) {
      var owner = marked[i].getAttribute("data-owner");
      if (owner) return owner;
    }
    return "";
  }

  // --- Sending -------------------------------------------------------------

  function flush(now) {
    var owner = currentOwner();
    if (!owner) return Promise.resolve();
    return core.flush(owner, now === true).then(function (sent) {
      return entries().then(function (all) {
        // Sent by this flush, or meanwhile by another tab or the service
        // worker: every "saved on this phone" note whose entry has left.
        var still = all.map(function (e) { return e.key; });
        var notes = document.querySelectorAll("[data-outbox-notice]:not([data-outbox-sent])");
        var gone = Array.prototype.map.call(notes, function (box) {
          return box.getAttribute("data-outbox-notice");
        }).filter(function (key) { return key !== "true" && still.indexOf(key) < 0 && sent.indexOf(key) < 0; });
        if (sent.length || gone.length) arrived(sent.concat(gone));
        if (all.some(function (e) { return e.owner === owner && e.state === "waiting"; })) askForSync();
      });
    }).then(render, render);
  }

  // Background Sync, where the browser has it: the service worker sends what
  // waits once the phone is back online, even with the app closed (sw.js).
  function askForSync() {
    if (!navigator.serviceWorker) return;
    navigator.serviceWorker.ready.then(function (registration) {
      if (registration.sync) return registration.sync.register("meso-outbox");
    }).catch(function () { /* not offered, or refused: the page sends */ });
  }

  // Sent from the outbox while the patient is on a page: the page shows them
  // (its own load, pressed through a hidden button), and a note that said
  // "saved on this phone" says where they are now.
  function arrived(keys) {
    var refresh = document.querySelector("[data-outbox-refresh]");
    if (refresh && !socketDown()) refresh.click();
    keys.forEach(function (key) {
      var box = document.querySelector('[data-outbox-notice="' + key + '"]');
      if (!box) return;
      box.setAttribute("data-outbox-sent", "");
      box.querySelector("p").textContent = "Sent: it is in your journal now.";
      box.querySelector("a").textContent = "See it on the timeline";
    });
  }

  // --- The form's save -------------------------------------------------------

  function fieldsOf(form) {
    // As Reflex reads a form (utils/state.js getFormData): the last value of each name.
    var fields = {};
    new FormData(form).forEach(function (value, name) {
      if (typeof value === "string" && name !== "outbox_answer") fields[name] = value;
    });
    return fields;
  }
  // "28 Nov 2026, 09:15", as the app writes days (read from the field's own
  // digits: no time zone moves it).
  function dayLabel(value) {
    var m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}))?/.exec(value || "");
    if (!m) return "";
    var months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    var text = Number(m[3]) + " " + months[Number(m[2]) - 1] + " " + m[1];
    return m[4] ? text + ", " + m[4] + ":" + m[5] : text;
  }
  function labelsOf(form) {
    var labels = {};
    Array.prototype.forEach.call(form.querySelectorAll("label[for^='field-']"), function (label) {
      labels[label.getAttribute("for").slice(6)] = label.textContent.trim();
    });
    return labels;
  }
  function labelOf(form, kind) {
    var names = { session: "Session", checkin: "Check-in", measurement: "Measurement" };
    var day = form.querySelector("[name=performed_at], [name=checked_on], [name=measured_on]");
    var when = dayLabel(day && day.value);
    var label = names[kind] + (when ? " of " + when : "");
    // Which session a check-in is about: the page says so above the form.
    var about = kind === "checkin" && form.parentNode.querySelector("strong");
    if (about) return label + " (session of " + about.textContent + ")";
    // A measurement by what it says ("61.3 kg, left thigh"): several a day
    // must be told apart in the list.
    var value = kind === "measurement" && form.querySelector("[name=value]");
    if (value && value.value) {
      var unit = form.querySelector("[name=unit]:enabled");
      var area = form.querySelector("[name=area]:enabled");
      label += ": " + value.value + (unit ? " " + unit.value : "") + (area && area.value ? ", " + area.value : "");
    }
    return label;
  }

  // The answer goes to the form's handler, which shows it as for any save;
  // with no answer (no outbox here), the handler saves the form itself.
  function handOver(form, answer) {
    var field = null;
    if (answer) {
      field = document.createElement("input");
      field.type = "hidden";
      field.name = "outbox_answer";
      field.value = JSON.stringify(answer);
      form.appendChild(field);
    }
    form.__mesoHandingOver = true;
    try { form.requestSubmit(); } finally {
      form.__mesoHandingOver = false;
      if (field) field.remove();
    }
  }
  function socketDown() { return !!document.querySelector("[data-connection-lost]"); }

  // Photos the upload form could not send (upload-progress.js): each one an
  // entry of its own, with the form's choices, under the key it was sent with.
  function keepPhotos(form, prepared, fields) {
    var owner = currentOwner();
    if (!owner) return Promise.reject(new Error("nobody signed in"));
    var now = Date.now();
    var area = fields.area ? " (" + fields.area + ")" : "";
    return Promise.all(prepared.map(function (p, i) {
      return put({
        key: p.key,
        kind: "photo",
        parent: null,
        fields: Object.assign({}, fields, { taken_hint: p.hint || "" }),
        blob: p.file,
        filename: p.file.name || "photo.jpg",
        owner: owner,
        label: "Photo" + area + (prepared.length > 1 ? ", " + (i + 1) + " of " + prepared.length : ""),
        created: now + i,
        state: "waiting",
        tries: 1,
        next: now + 5000,
      });
    })).then(function () {
      if (navigator.storage && navigator.storage.persist) navigator.storage.persist().catch(function () {});
      askForSync();
      notice(form, prepared.length === 1
        ? "Photo saved on this phone. It will be sent when you're back online."
        : prepared.length + " photos saved on this phone. They will be sent when you're back online.");
      render();
    });
  }
  window.mesoOutbox = { keepPhotos: keepPhotos };

  function notice(form, text, key) {
    var box = document.createElement("div");
    box.className = "meso-outbox-notice";
    box.setAttribute("role", "status");
    box.setAttribute("tabindex", "-1");
    box.setAttribute("data-outbox-notice", key || "true");
    var p = document.createElement("p");
    p.textContent = text;
    box.appendChild(p);
    var link = document.createElement("a");
    link.href = "/";
    link.textContent = "See what is waiting on the timeline";
    link.addEventListener("click", function (event) {
      // Through the app's own tab, which needs no server; a plain link would
      // load the page and, offline, find only the offline page.
      var tab = document.querySelector("nav a[href='/']");
      if (tab) { event.preventDefault(); tab.click(); }
    });
    box.appendChild(link);
    form.parentNode.insertBefore(box, form);
    form.hidden = true;
    box.focus();
    box.scrollIntoView({ block: "center" });
  }

  function saveFromForm(form) {
    if (signedOutSinceLoad()) {
      location.replace("/sign-in?done=signed_out");
      return Promise.resolve();
    }
    var kind = form.getAttribute("data-outbox");
    var parent = parseInt(form.getAttribute("data-parent"), 10);
    var entry = {
      key: crypto.randomUUID(),
      kind: kind,
      parent: parent > 0 ? parent : null,
      fields: fieldsOf(form),
      owner: form.getAttribute("data-owner"),
      label: labelOf(form, kind),
      draft: form.getAttribute("data-draft"),
      // As drafts.js keeps a form (unticked boxes too), so "Correct it" can refill it.
      draftFields: drafts.snapshot(form),
      // Which field a refusal is about, in the form's own words.
      labels: labelsOf(form),
      path: location.pathname + location.search,
      created: Date.now(),
      state: "sending",
      tries: 0,
    };
    var button = form.querySelector("[type=submit]");
    var already = form.__mesoStored;
    if (already && already.formId === drafts.formId(form) && already.fields === JSON.stringify(entry.fields)) {
      handOver(form, { stored: true }); // this very form was stored a moment ago
      return Promise.resolve();
    }
    if (button) button.disabled = true; // one entry per tap
    // Asked once: otherwise a phone short of space, or Safari after 7 days
    // without a visit, may clear what the app keeps.
    if (navigator.storage && navigator.storage.persist) navigator.storage.persist().catch(function () {});
    var done = function () { if (button) button.disabled = false; };
    return put(entry).then(function () {
      // A corrected entry replaces the refused one it came from.
      var corrected = correcting(form);
      if (corrected) {
        try { sessionStorage.removeItem(CORRECTING + form.getAttribute("data-draft")); } catch (e) { /* none */ }
        remove(corrected).catch(function () {});
      }
      return send(entry).then(function (answer) {
        if (stored(answer) || refused(answer)) {
          return remove(entry.key).then(function () {
            flushNow(); // the server answers: anything older waiting goes too
            if (refused(answer)) {
              // The patient is on the form, and corrects it there.
              done();
              handOver(form, { errors: answer.errors || {} });
              return;
            }
            // Stored. Save stays disabled until the page moves on; a tap
            // that still gets through finds this and sends nothing again.
            form.__mesoStored = { formId: drafts.formId(form), fields: JSON.stringify(entry.fields) };
            drafts.drop(form);
            // Where it is shown: in the page when it can (forms.after_save: no
            // second round trip), else by loading it, else through the form's
            // handler (measurements, which stay on their page).
            var go = form.querySelector("[data-outbox-go]");
            if (socketDown()) location.assign(answer.body.shown_at);
            else if (go) go.click();
            else handOver(form, { stored: true });
          });
        }
        // Kept on the phone. The typed input now lives in the entry: the
        // draft would bring the same entry back for a second save.
        drafts.drop(form);
        if (waitsForSignIn(answer)) entry.state = "signin"; else later(entry, answer);
        return put(entry).then(function () {
          done();
          askForSync();
          notice(form, waitsForSignIn(answer)
            ? "Saved on this phone. Sign in again to send it: it waits until you do."
            : "Saved on this phone. It will be sent when you're back online.", entry.key);
          render();
        });
      });
    }, function () {
      // IndexedDB refused (private mode, no space): the page saves it
      // instead, once this submit event is over (a form cannot be submitted
      // again from inside its own submit).
      usable = false;
      done();
      setTimeout(function () { handOver(form, null); }, 0);
    });
  }

  // --- Correcting a refused entry ------------------------------------------

  var CORRECTING = "meso-correcting:";
  function correcting(form) {
    try { return sessionStorage.getItem(CORRECTING + form.getAttribute("data-draft")); } catch (e) { return null; }
  }
  // The form of an entry being corrected shows the refusals the journal gave
  // it, through its own handler as for a save (once the page is the
  // server's: the handler needs it), after drafts.js has put the input back.
  document.addEventListener("animationstart", function (event) {
    if (event.animationName !== "meso-draft-field-appears") return;
    var form = event.target.closest && event.target.closest("form[data-outbox]");
    var key = form && correcting(form);
    if (!key || form.__mesoShowingRefusal) return;
    form.__mesoShowingRefusal = true;
    entries().then(function (all) {
      var entry = all.filter(function (e) { return e.key === key && e.state === "refused"; })[0];
      if (!entry) return;
      var tries = 0;
      var wait = setInterval(function () {
        if (++tries > 60) return clearInterval(wait);
        if (socketDown() || !form.isConnected || !form.getAttribute("data-owner")) return;
        clearInterval(wait);
        handOver(form, { errors: entry.errors || {} });
      }, 250);
    });
  });

  // Whether IndexedDB works here (not in some private windows, or with no
  // space): if not, forms save through the page as they did before.
  var usable = true;
  db().catch(function () { usable = false; });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!usable || !drafts || !form.getAttribute || form.__mesoHandingOver) return;
    var kind = form.getAttribute("data-outbox");
    if (!kind && form.hasAttribute("data-draft") && socketDown()) {
      // A change to what is already stored goes through the page, which
      // cannot send it now; queued, it would meet a server that may have
      // forgotten the page by then. The form keeps it (drafts.js) instead.
      event.preventDefault();
      event.stopImmediatePropagation();
      say(form, "You're offline. A change to a saved entry needs the connection: it stays in this form, " +
        "so tap the button again once you're back online.");
      return;
    }
    if (!kind || !form.getAttribute("data-owner")) return;
    event.preventDefault();
    event.stopImmediatePropagation();
    saveFromForm(form);
  }, true);

  // --- What waits, on the timeline --------------------------------------------

  var STATES = {
    waiting: "Saved on this phone. It will be sent when you're back online.",
    sending: "Sending…",
    parked: "Couldn't send it: the server had a problem. Try again now or later.",
    signin: "Sign in again to send it.",
    refused: "The journal did not accept it:",
  };

  function render() {
    var list = document.querySelector("[data-outbox-list]");
    if (!list) return Promise.resolve();
    var owner = list.getAttribute("data-owner");
    if (!owner) return Promise.resolve();
    return entries().then(function (all) {
      var mine = all.filter(function (e) { return e.owner === owner; });
      list.textContent = "";
      var waiting = mine.filter(function (e) { return e.state !== "refused"; });
      var refused = mine.filter(function (e) { return e.state === "refused"; });
      if (waiting.length) group(list, "Waiting to send (" + waiting.length + ")", waiting);
      if (refused.length) group(list, "Not saved (" + refused.length + ")", refused);
    });
  }
  function group(list, title, items) {
    var heading = document.createElement("h2");
    heading.textContent = title;
    list.appendChild(heading);
    var ul = document.createElement("ul");
    items.forEach(function (e) {
      var li = document.createElement("li");
      li.setAttribute("data-outbox-entry", e.state);
      var name = document.createElement("strong");
      name.textContent = e.label;
      li.appendChild(name);
      var state = document.createElement("span");
      var text = STATES[e.state] || STATES.waiting;
      if (e.state === "refused" && e.errors) {
        text += " " + Object.keys(e.errors).map(function (k) {
          var label = e.labels && e.labels[k];
          var said = String(e.errors[k]);
          // "Needle depth is between 1 and 4 mm" names its field already.
          return label && said.toLowerCase().indexOf(label.toLowerCase()) !== 0 ? label + ": " + said : said;
        }).join(" ");
      }
      if (e.state !== "refused" && e.created < Date.now() - OVERDUE_MS) {
        text += " Waiting since " + new Date(e.created).toLocaleDateString("en-GB", { day: "numeric", month: "short" }) +
          ": open the app with a connection soon. A phone may clear what an app keeps after a week without a visit.";
      }
      state.textContent = text;
      li.appendChild(state);
      if (e.state === "parked") li.appendChild(button("Try again", "retry", e.key));
      if (e.state === "refused" && drafts && e.draft && e.path) li.appendChild(button("Correct it", "correct", e.key));
      // Any entry can be taken back before it is sent (a mistaken one, or one
      // that cannot go), after asking.
      li.appendChild(button("Remove", "remove", e.key));
      ul.appendChild(li);
    });
    list.appendChild(ul);
  }
  function button(text, action, key) {
    var b = document.createElement("button");
    b.type = "button";
    b.textContent = text;
    b.setAttribute("data-outbox-action", action);
    b.setAttribute("data-outbox-key", key);
    return b;
  }
  document.addEventListener("click", function (event) {
    var b = event.target.closest && event.target.closest("[data-outbox-action]");
    if (!b) return;
    var key = b.getAttribute("data-outbox-key");
    var action = b.getAttribute("data-outbox-action");
    if (action === "remove" && !window.confirm("Remove this entry? It is not in your journal, and it will be gone from this phone.")) return;
    entries().then(function (all) {
      var entry = all.filter(function (e) { return e.key === key; })[0];
      if (!entry) return null;
      if (action === "remove") return remove(key);
      if (action === "correct") {
        // Back to its form, filled as it was saved (drafts.js puts it back)
        // and with the journal's refusals shown on it, field by field. The
        // refused entry stays listed until its corrected form is saved.
        drafts.keep(entry.draft, entry.owner, entry.draftFields || {});
        try { sessionStorage.setItem(CORRECTING + entry.draft, key); } catch (e) { /* private mode */ }
        location.assign(entry.path);
        return null;
      }
      entry.state = "waiting";
      entry.tries = 0;
      entry.next = 0;
      return put(entry);
    }).then(flushNow);
  });

  // --- Signing out ------------------------------------------------------------

  // The server first, then the phone: with no connection the patient would
  // stay signed in while the phone forgot everything, so the sign-out (or
  // the account's deletion) is sent from here, and only once the server has
  // signed the phone out is the outbox emptied, with the offline copy and
  // the record of who used the app here.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var action = form.getAttribute && form.getAttribute("action");
    if (action !== "/api/auth/sign-out" && action !== "/api/account/delete") return;
    event.preventDefault();
    event.stopImmediatePropagation();
    var deleting = action === "/api/account/delete";
    entries().then(function (all) {
      if (!confirmLoss(all, deleting)) return null;
      var button = form.querySelector("[type=submit]");
      if (button) button.disabled = true;
      return fetch(action, { method: "POST", body: new FormData(form), credentials: "same-origin" }).then(function (response) {
        var to = new URL(response.url);
        if (to.pathname !== "/sign-in") {
          location.assign(response.url); // refused (a wrong password): the page says why
          return null;
        }
        // Every account's entries: a phone that was signed out keeps nothing
        // of anyone. Other tabs leave for the sign-in page (they read the mark).
        try { localStorage.setItem("meso-signed-out", String(Date.now())); } catch (e) { /* private mode */ }
        return Promise.all([core.clearWhenIdle(), forgetOfflineCopy()]).then(function () { location.replace(response.url); });
      }, function () {
        if (button) button.disabled = false;
        say(form, deleting
          ? "You're offline. Deleting your account needs a connection: nothing was deleted. Try again when you're back online."
          : "You're offline. Signing out needs a connection, so you are still signed in and nothing was deleted. Try again when you're back online.");
      });
    }, function () {
      // No outbox here (private mode): the form goes as it is (submit()
      // fires no submit event, so this listener is not called again).
      HTMLFormElement.prototype.submit.call(form);
    });
  }, true);

  function confirmLoss(all, deleting) {
    var owner = currentOwner();
    var mine = all.filter(function (e) { return e.owner === owner; }).length;
    var others = all.length - mine;
    if (!all.length) return true;
    var lines = [];
    if (mine) lines.push(mine + (mine === 1 ? " entry you saved on this phone has" : " entries you saved on this phone have") + " not been sent yet.");
    if (others) lines.push(others + (others === 1 ? " entry saved here by another account has" : " entries saved here by another account have") + " not been sent yet.");
    lines.push((deleting ? "Deleting your account" : "Signing out") + " deletes " + (all.length === 1 ? "it" : "them") + " from this phone. " +
      (deleting ? "Delete anyway?" : "Sign out anyway?"));
    return window.confirm(lines.join(" "));
  }

  // A sentence under a form, said where the patient is looking.
  function say(form, text) {
    var box = form.parentNode.querySelector("[data-outbox-said]");
    if (!box) {
      box = document.createElement("p");
      box.setAttribute("role", "alert");
      box.setAttribute("tabindex", "-1");
      box.setAttribute("data-outbox-said", "true");
      box.className = "meso-outbox-notice";
      form.parentNode.insertBefore(box, form.nextSibling);
    }
    box.textContent = text;
    box.focus();
    box.scrollIntoView({ block: "center" });
  }

  // Signed out in another tab: this one's page is no longer the patient's,
  // and nothing typed here is kept for them.
  var loadedAt = Date.now();
  function signedOutSinceLoad() {
    try { return Number(localStorage.getItem("meso-signed-out") || 0) >= loadedAt; } catch (e) { return false; }
  }
  window.addEventListener("storage", function (event) {
    if (event.key === "meso-signed-out" && signedOutSinceLoad()) location.replace("/sign-in?done=signed_out");
  });

  // The copy of the timeline and the record of who used the app here
  // (offline-timeline.js): deleted before the sign-out leaves the page. Other
  // tabs' connections close on "versionchange", so it is not held up.
  function forgetOfflineCopy() {
    return new Promise(function (resolve) {
      try {
        var request = indexedDB.deleteDatabase("meso-offline");
        request.onsuccess = request.onerror = request.onblocked = function () { resolve(); };
      } catch (e) { resolve(); }
    });
  }

  // --- When to send --------------------------------------------------------------

  // The page's data (and so its owner) arrives after the script runs: try
  // on a short beat at first, then on the timer.
  var early = 0;
  var beat = setInterval(function () {
    if (currentOwner() || ++early > 20) {
      clearInterval(beat);
      flushNow();
    }
  }, 500);
  setInterval(flush, TIMER_MS);
  function flushNow() { return flush(true); }
  // The server back (Reflex's socket reconnected): the phone's network never
  // changed, so no "online" event comes.
  var wasDown = false;
  setInterval(function () {
    var down = socketDown();
    if (wasDown && !down) flushNow();
    wasDown = down;
  }, 2000);
  window.addEventListener("online", flushNow);
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") flushNow();
  });
  // The timeline's list appears with the page (theme.css animates it, as
  // drafts.js's fields): fill it then.
  document.addEventListener("animationstart", function (event) {
    if (event.animationName === "meso-outbox-list-appears") render().then(flushNow);
  });
})();

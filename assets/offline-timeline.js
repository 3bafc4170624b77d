// The last timeline the patient saw, for when there is no signal: in the
// clinic's basement a patient can still read the next window and the date to
// stop NSAIDs.
//
// On the timeline (its content carries a data-timeline-copy marker, found by
// its 1 ms animation as drafts.js finds fields), a read-only copy of the page
// is kept in IndexedDB: its markup, and the style rules and stylesheets it
// is drawn with. It is taken a moment after the page settles and again when
// the app goes to the background. The offline page (offline.html, which
// the service worker serves for any page when the network fails) shows the
// copy, marked with the time it was taken.
//
// The copy is the patient's data on the phone: it belongs to the patient it
// was taken for (data-owner), and signing out deletes it (outbox.js), as
// does the sign-in page.
(function () {
  if (!window.indexedDB) return;
  var DB_NAME = "meso-offline";
  var STORE = "pages";
  var KEY = "timeline";

  function open() {
    return new Promise(function (resolve, reject) {
      var request = indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = function () { request.result.createObjectStore(STORE); };
      request.onsuccess = function () {
        // A sign-out deleting the copy is never held up by this connection.
        request.result.onversionchange = function () { request.result.close(); };
        resolve(request.result);
      };
      request.onerror = function () { reject(request.error); };
    });
  }
  function store(mode, work) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(STORE, mode);
        var request = work(tx.objectStore(STORE));
        tx.oncomplete = function () { db.close(); resolve(request ? request.result : undefined); };
        tx.onerror = tx.onabort = function () { db.close(); reject(tx.error); };
      });
    });
  }

  // --- Taking the copy, on the timeline ---------------------------------------

  function styleRules() {
    // Emotion inserts its rules through the CSSOM: the <style> tags are empty.
    var text = [];
    Array.prototype.forEach.call(document.styleSheets, function (sheet) {
      if (sheet.href) return;
      try {
        Array.prototype.forEach.call(sheet.cssRules, function (rule) { text.push(rule.cssText); });
      } catch (e) { /* not readable: left out */ }
    });
    return text.join("\n");
  }
  // Signed out in any tab since this page loaded (outbox.js marks it): this
  // tab's timeline is no longer to be kept, though it still shows.
  var loadedAt = Date.now();
  function signedOutSince() {
    try { return Number(localStorage.getItem("meso-signed-out") || 0) >= loadedAt; } catch (e) { return false; }
  }
  window.addEventListener("storage", function (event) {
    if (event.key === "meso-signed-out") {
      try { indexedDB.deleteDatabase(DB_NAME); } catch (e) { /* none kept */ }
    }
  });
  function take() {
    if (signedOutSince()) return;
    var marker = document.querySelector("[data-timeline-copy]");
    var main = marker && marker.closest("main");
    var owner = main && main.getAttribute("data-owner");
    if (!owner) return;
    var page = main.cloneNode(true);
    // Read only: nothing in it works without the app.
    Array.prototype.forEach.call(page.querySelectorAll("button, input, select, textarea"), function (el) {
      el.setAttribute("disabled", "");
    });
    // Not the page's passing notes ("Session saved."), nor what outbox.js lists.
    var passing = "[data-outbox-list], [data-timeline-copy], [data-outbox-notice], [role=status]";
    Array.prototype.forEach.call(page.querySelectorAll(passing), function (el) {
      el.remove();
    });
    var theme = main.closest(".radix-themes");
    var themeAttributes = {};
    if (theme) Array.prototype.forEach.call(theme.attributes, function (a) { themeAttributes[a.name] = a.value; });
    var copy = {
      owner: owner,
      at: Date.now(),
      html: page.innerHTML,
      mainClass: main.className,
      sheets: Array.prototype.map.call(document.querySelectorAll("link[rel=stylesheet]"), function (l) { return l.href; }),
      rules: styleRules(),
      root: document.documentElement.className,
      theme: themeAttributes,
    };
    store("readwrite", function (s) { s.put(copy, KEY); }).catch(function () { /* no room: no copy */ });
  }
  // At once (the marker shows with the page's data), and again once the
  // page has settled, and whenever the patient leaves it.
  var pending = null;
  function takeNowAndSoon() {
    take();
    clearTimeout(pending);
    pending = setTimeout(take, 1500);
  }
  document.addEventListener("animationstart", function (event) {
    if (event.animationName === "meso-timeline-copy") takeNowAndSoon();
  });
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") take();
  });
  window.addEventListener("pagehide", take);

  // --- Who uses the app on this phone -------------------------------------------

  // The patient a signed-in page was last rendered for, with the course it
  // showed (that course's photo areas, from the photos form, and how a new
  // session's form starts, from the log form): what a page opened with no
  // signal needs to offer its forms as they are online (components/offline.py).
  // Taken only from the server's answer (a page opened offline is marked
  // data-offline), and deleted with the copy at sign-out.
  var WHO = "who";
  var kept = "";
  function keepWho() {
    if (signedOutSince()) return;
    var main = document.querySelector("main[data-owner]");
    var owner = main && main.getAttribute("data-owner");
    var course = main && Number(main.getAttribute("data-course"));
    if (!owner || !course || main.getAttribute("data-offline")) return;
    var who = { owner: owner, course: course, courseLabel: main.getAttribute("data-course-label") || "", areas: [] };
    var form = document.querySelector("form[data-course-areas]");
    var known = form && form.getAttribute("data-course-areas");
    var same = kept && JSON.parse(kept);
    same = same && same.owner === owner && same.course === course ? same : null;
    if (known) who.areas = known.split("\n");
    else if (same) who.areas = same.areas;
    // How a new session's form starts (pages/log.py, data-starts).
    var log = document.querySelector("form[data-starts]");
    var starts = log && log.getAttribute("data-starts");
    if (starts) {
      try { who.starts = JSON.parse(starts); } catch (e) { /* left out */ }
    } else if (same && same.starts) {
      who.starts = same.starts;
    }
    var text = JSON.stringify(who);
    if (text === kept) return;
    kept = text;
    store("readwrite", function (s) { s.put(who, WHO); }).then(
      function () { reading = null; }, // read afresh once written
      function () { kept = ""; },
    );
  }
  // Read once per page and shared: every component using the record asks
  // for it as it mounts (components/offline.py).
  var reading = null;
  window.mesoPhone = {
    known: null, // the record, once read (components/offline.py starts from it)
    offline: false, // whether the page is offline (set there)
    who: function () {
      if (!reading) {
        reading = store("readonly", function (s) { return s.get(WHO); }).then(function (who) {
          if (who && !kept) kept = JSON.stringify(who);
          window.mesoPhone.known = who || null;
          return who || null;
        }, function (error) { reading = null; throw error; });
      }
      return reading;
    },
  };
  // Kept as the page's data arrives and changes (a course switched), cheaply:
  // it is written only when it differs.
  window.mesoPhone.who().then(function () { setInterval(keepWho, 2000); keepWho(); }, function () {});
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") keepWho();
  });

  // --- Showing it: on the offline page, and on the timeline opened offline ----

  function asOf(copy) {
    // "30 Nov 2026, 22:01", as the app writes times.
    var when = new Date(copy.at).toLocaleString("en-GB", {
      day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit",
    });
    return "Your timeline as of " + when + ". Read only: it is brought up to date once you are back online.";
  }

  // offline.html: the whole page is the copy's, drawn with its stylesheets.
  function showOnOfflinePage(place, copy) {
    copy.sheets.forEach(function (href) {
      var link = document.createElement("link");
      link.rel = "stylesheet";
      link.href = href;
      document.head.appendChild(link);
    });
    var style = document.createElement("style");
    style.textContent = copy.rules;
    document.head.appendChild(style);
    // Drawn in the page's light or dark (offline.html chose it as the app
    // would), whichever the copy was taken in: the app's styles follow the
    // class on <html>.
    var theme = document.createElement("div");
    Object.keys(copy.theme).forEach(function (name) { theme.setAttribute(name, copy.theme[name]); });
    var mode = document.documentElement.className;
    theme.className = (theme.className || "").replace(/\b(light|dark)(-theme)?\b/g, "").trim() + " " + mode;
    var main = document.createElement("main");
    main.className = copy.mainClass || "";
    main.setAttribute("data-owner", copy.owner);
    // The app's own markup, taken from its page: React escaped every text in it.
    main.innerHTML = copy.html;
    // What waits to be sent, listed by outbox.js (the list's animation, from
    // theme.css among the copied sheets, tells it to).
    var list = document.createElement("section");
    list.setAttribute("data-outbox-list", "true");
    list.setAttribute("data-owner", copy.owner);
    list.setAttribute("aria-live", "polite");
    main.insertBefore(list, main.firstChild);
    theme.appendChild(main);
    var note = document.querySelector("[data-offline-as-of]");
    note.textContent = asOf(copy);
    note.hidden = false;
    place.appendChild(theme);
  }

  // The app's timeline opened with no signal (components/layout.py): the
  // copy inside the page, for the patient the page is for only, with the
  // copy's own style rules (the app's stylesheets are already there).
  function showInApp(place, copy) {
    var main = place.closest("main");
    if (!main || main.getAttribute("data-owner") !== copy.owner) return;
    var style = document.createElement("style");
    style.textContent = copy.rules;
    document.head.appendChild(style);
    var note = document.createElement("p");
    note.className = "meso-offline-as-of";
    note.textContent = asOf(copy);
    var body = document.createElement("div");
    body.className = "meso-offline-copy";
    body.innerHTML = copy.html;
    place.textContent = "";
    place.appendChild(note);
    place.appendChild(body);
  }

  function show(place) {
    if (place.__mesoShown) return;
    place.__mesoShown = true;
    store("readonly", function (s) { return s.get(KEY); }).then(function (copy) {
      if (!copy) return;
      if (place.hasAttribute("data-in-app")) showInApp(place, copy);
      else showOnOfflinePage(place, copy);
    }, function () { /* nothing kept */ });
  }
  document.addEventListener("animationstart", function (event) {
    if (event.animationName === "meso-offline-copy-appears") show(event.target);
  });

  var place = document.querySelector("[data-offline-timeline]");
  if (!place) return;
  window.mesoPhone.who().then(function (who) {
    var actions = document.querySelector("[data-offline-actions]");
    if (who && actions) actions.hidden = false;
  }, function () {});
  show(place);
})();

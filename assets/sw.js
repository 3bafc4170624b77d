// Meso Journal service worker. Served by web/pwa.py, which fills in the two
// placeholders: a version that changes with every build, and the build's
// hashed static files. Patient data never enters a cache: it travels over
// the websocket, and /api/, /_event and /_upload are never touched here.
const VERSION = "__VERSION__";
// The outbox's store and sending, shared with the pages (Background Sync).
importScripts("/outbox-core.js");
const PRECACHE = __PRECACHE__;
// Pages that work with no signal (their forms save through the phone's
// outbox), each by the build's own file of it: the same static page the
// server sends, with no patient data in it (that comes over the websocket).
const OFFLINE_PAGES = __OFFLINE_PAGES__;
const CACHE = `meso-${VERSION}`;
const OFFLINE = "/offline.html";
const NEVER = [/^\/_event/, /^\/_upload/, /^\/api\//, /^\/share\//, /^\/s\//, /^\/export/];

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(PRECACHE)));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith("meso-") && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

// The page asks for this when the patient taps "reload" on the update notice.
self.addEventListener("message", (event) => {
  if (event.data === "skipWaiting") self.skipWaiting();
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (NEVER.some((re) => re.test(url.pathname))) return;

  if (request.mode === "navigate") {
    // Network first: pages must be current. Offline, a page that works
    // offline, for a patient this phone knows; otherwise a page that says so.
    event.respondWith(fetch(request).catch(() => offlinePage(url.pathname.replace(/\/$/, ""))));
    return;
  }
  // Hashed build files and icons never change under the same name: cache first.
  // (Reflex adds "Vary: Origin" to static files; ignoreVary lets them match.)
  event.respondWith(
    caches.match(request, { ignoreVary: true }).then(
      (hit) =>
        hit ||
        fetch(request).then((response) => {
          if (response.ok && url.pathname.startsWith("/assets/")) {
            const copy = response.clone();
            caches.open(CACHE).then((cache) => cache.put(request, copy));
          }
          return response;
        }),
    ),
  );
});

function offlinePage(path) {
  const page = OFFLINE_PAGES[path];
  const fallback = () => caches.match(OFFLINE, { ignoreVary: true });
  if (!page) return fallback();
  return knowsPatient().then((known) =>
    known ? caches.match(page, { ignoreVary: true }).then((hit) => hit || fallback()) : fallback(),
  );
}

// Whether a signed-in patient used the app on this phone (offline-timeline.js
// keeps who, and signing out deletes it): nobody else gets a journal page.
function knowsPatient() {
  return whoIsHere().then((who) => !!(who && who.owner));
}

function whoIsHere() {
  return new Promise((resolve) => {
    const request = indexedDB.open("meso-offline", 1);
    request.onupgradeneeded = () => request.result.createObjectStore("pages");
    request.onerror = () => resolve(null);
    request.onsuccess = () => {
      const db = request.result;
      try {
        const get = db.transaction("pages").objectStore("pages").get("who");
        get.onsuccess = () => { db.close(); resolve(get.result || null); };
        get.onerror = () => { db.close(); resolve(null); };
      } catch (e) {
        db.close();
        resolve(null);
      }
    };
  });
}

// Background Sync (outbox.js asks for it when an entry waits): the phone is
// back online, perhaps with the app closed. The entries of the patient last
// signed in here are sent as a page sends them, under the same lock; the
// server stores each only under that patient's cookie. Still unsent: the
// promise fails, and the browser tries again later.
self.addEventListener("sync", (event) => {
  if (event.tag !== "meso-outbox" || !self.mesoOutboxCore) return;
  const core = self.mesoOutboxCore;
  event.waitUntil(
    whoIsHere().then((who) => {
      if (!who || !who.owner) return null;
      return core
        .flush(who.owner, true)
        .then(() => core.entries())
        .then((all) => {
          if (all.some((e) => e.owner === who.owner && e.state === "waiting")) throw new Error("not sent yet");
        });
    }),
  );
});

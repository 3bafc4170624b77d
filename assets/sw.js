// Meso Journal service worker. Served by web/pwa.py, which fills in the two
// placeholders: a version that changes with every build, and the build's
// hashed static files. Patient data never enters a cache: it travels over
// the websocket, and /api/, /_event and /_upload are never touched here.
const VERSION = "__VERSION__";
const PRECACHE = __PRECACHE__;
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
    // Network first: pages must be current. Offline, a page that says so.
    event.respondWith(fetch(request).catch(() => caches.match(OFFLINE, { ignoreVary: true })));
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

// Registers the service worker at once (not on "load"), and offers a reload
// when a new version of the app is waiting.
(function () {
  if (!("serviceWorker" in navigator)) return;
  var accepted = false;

  function offer(worker) {
    if (document.getElementById("sw-update")) return;
    var bar = document.createElement("div");
    bar.id = "sw-update";
    bar.setAttribute("role", "status");
    bar.style.cssText =
      // Above the tab bar (styles.TAB_BAR_HEIGHT), not over the header, where
      // the connection notice may be showing.
      "position:fixed;left:0;right:0;bottom:calc(4rem + env(safe-area-inset-bottom));z-index:1000;display:flex;" +
      "gap:12px;align-items:center;justify-content:center;padding:8px 12px;background:#0d9488;color:#fff;" +
      "font:16px system-ui,sans-serif";
    var text = document.createElement("span");
    text.textContent = "Update available.";
    var button = document.createElement("button");
    button.type = "button";
    button.textContent = "Reload";
    button.style.cssText = "min-height:44px;min-width:44px;padding:0 16px;border:0;border-radius:8px;background:#fff;color:#0f766e;font:600 16px system-ui,sans-serif";
    button.onclick = function () {
      accepted = true;
      worker.postMessage("skipWaiting");
    };
    bar.appendChild(text);
    bar.appendChild(button);
    document.body.appendChild(bar);
  }

  navigator.serviceWorker.register("/sw.js").then(function (reg) {
    if (reg.waiting && navigator.serviceWorker.controller) offer(reg.waiting);
    reg.addEventListener("updatefound", function () {
      var worker = reg.installing;
      if (!worker) return;
      worker.addEventListener("statechange", function () {
        if (worker.state === "installed" && navigator.serviceWorker.controller) offer(worker);
      });
    });
  });
  navigator.serviceWorker.addEventListener("controllerchange", function () {
    if (accepted) location.reload();
  });
})();

// Photo uploads for forms marked data-upload-progress. Without this script
// the form still works: it posts as a plain form. With it:
//  1. each chosen photo is shrunk in a Web Worker (shrink-worker.js) to a
//     JPEG of at most 2,400 px and about 1 MB, one at a time, with its capture
//     date sent beside it as taken_hint; a photo the browser cannot decode
//     (HEIC on most browsers) goes up as it is;
//  2. each chosen file gets a random id (upload_key), kept for as long as it
//     stays chosen: if the answer is lost and the patient sends again, the
//     server finds the photo stored and does not store it twice;
//  3. the request goes through XMLHttpRequest, whose upload events give a
//     percentage, and the page then follows the server's redirect as the
//     form would have;
//  4. with no connection, the prepared photos wait in the phone's outbox
//     (outbox.js), each under its upload_key, and are sent from there.
(function () {
  "use strict";
  var canShrink = !!(window.Worker && window.OffscreenCanvas && window.createImageBitmap);
  var keys = new WeakMap(); // the chosen File -> its upload_key

  function keyFor(file) {
    if (!keys.has(file)) {
      var bytes = new Uint8Array(16);
      window.crypto.getRandomValues(bytes);
      keys.set(file, Array.prototype.map.call(bytes, function (b) { return (b + 256).toString(16).slice(1); }).join(""));
    }
    return keys.get(file);
  }

  function shrinkAll(files, report) {
    // Resolves to [{file, hint}] in the order chosen.
    if (!canShrink || window.__mesoNoShrink || !files.length) {
      return Promise.resolve(files.map(function (f) { return { file: f, hint: "", key: keyFor(f) }; }));
    }
    var worker = new Worker("/shrink-worker.js");
    var out = [];
    var chain = Promise.resolve();
    files.forEach(function (file, i) {
      chain = chain.then(function () {
        report(i, files.length);
        return new Promise(function (resolve) {
          worker.onmessage = function (event) {
            var r = event.data || {};
            var hint = r.taken ? (r.taken + " " + (r.offset || "")).trim() : "";
            if (r.blob) {
              var name = (file.name || "photo").replace(/\.[^.]*$/, "") + ".jpg";
              out.push({ file: new File([r.blob], name, { type: "image/jpeg" }), hint: hint, key: keyFor(file) });
            } else {
              out.push({ file: file, hint: hint, key: keyFor(file) });
            }
            resolve();
          };
          worker.onerror = function () {
            out.push({ file: file, hint: "", key: keyFor(file) });
            resolve();
          };
          worker.postMessage(file);
        });
      });
    });
    return chain.then(
      function () { worker.terminate(); return out; },
      function () { worker.terminate(); return files.map(function (f) { return { file: f, hint: "", key: keyFor(f) }; }); }
    );
  }

  document.addEventListener(
    "submit",
    function (event) {
      var form = event.target;
      if (!form.matches || !form.matches("form[data-upload-progress]") || !window.FormData) return;
      event.preventDefault();
      var status = form.querySelector("[data-upload-status]");
      var bar = form.querySelector("progress[data-upload-bar]");
      var button = form.querySelector("button[type=submit]");
      function show(text, pct) {
        if (status) status.textContent = text;
        if (bar) {
          bar.hidden = false;
          bar.value = pct;
        }
      }
      var fields = new FormData(form);
      var files = fields.getAll("photos").filter(function (f) { return f instanceof File && (f.name || f.size); });
      fields.delete("photos");
      fields.delete("taken_hint");
      fields.delete("upload_key");
      if (button) button.disabled = true;
      form.setAttribute("aria-busy", "true");

      shrinkAll(files, function (i, n) {
        show(n > 1 ? "Preparing photo " + (i + 1) + " of " + n + "…" : "Preparing your photo…", 0);
      }).then(function (prepared) {
        prepared.forEach(function (p) {
          fields.append("photos", p.file, p.file.name);
          fields.append("taken_hint", p.hint);
          fields.append("upload_key", p.key);
        });
        var xhr = new XMLHttpRequest();
        xhr.open("POST", form.action);
        xhr.upload.onprogress = function (e) {
          if (e.lengthComputable) show("Uploading… " + Math.round((e.loaded / e.total) * 100) + "%", (e.loaded / e.total) * 100);
        };
        xhr.upload.onload = function () {
          show("Uploading… 100%. Preparing your photos…", 100);
        };
        xhr.onload = function () {
          window.location.assign(xhr.responseURL || form.action);
        };
        function failed() {
          show("The upload did not finish. Check your connection and try again.", 0);
          form.removeAttribute("aria-busy");
          if (button) button.disabled = false;
        }
        xhr.onerror = function () {
          // No connection: the photos wait in the phone's outbox (outbox.js)
          // and go once it is back, each under the key it was sent with.
          var choices = {};
          fields.forEach(function (value, name) {
            // Each photo's own hint and key travel with it, not with the choices.
            if (typeof value === "string" && name !== "taken_hint" && name !== "upload_key") choices[name] = value;
          });
          if (!window.mesoOutbox) return failed();
          window.mesoOutbox.keepPhotos(form, prepared, choices).then(function () {
            form.removeAttribute("aria-busy");
            if (status) status.textContent = "";
            if (bar) bar.hidden = true;
          }, failed);
        };
        xhr.onabort = failed;
        show("Uploading… 0%", 0);
        xhr.send(fields);
      });
    },
    true,
  );
})();

// The file inputs hide behind two large buttons: say what was picked.
document.addEventListener("change", function (event) {
  var input = event.target;
  if (!input.matches || !input.matches("input[data-photo-pick]")) return;
  var form = input.form;
  var status = form && form.querySelector("[data-photos-chosen]");
  if (!status) return;
  var count = 0;
  form.querySelectorAll("input[data-photo-pick]").forEach(function (i) { count += i.files ? i.files.length : 0; });
  status.textContent =
    count === 0 ? "No photo chosen yet. Up to 10 at a time." :
    count === 1 ? "1 photo chosen." :
    count > 10 ? count + " photos chosen: choose at most 10 at a time." : count + " photos chosen.";
});

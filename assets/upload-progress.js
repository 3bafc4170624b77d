// Shows upload progress for forms marked data-upload-progress. Without this
// script the form still works: it posts as a plain form. With it, the same
// request goes through XMLHttpRequest, whose upload events give a percentage,
// and the page then follows the server's redirect as the form would have.
(function () {
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
      xhr.onerror = xhr.onabort = function () {
        show("The upload did not finish. Check your connection and try again.", 0);
        if (button) button.disabled = false;
      };
      if (button) button.disabled = true;
      show("Uploading… 0%", 0);
      xhr.send(new FormData(form));
    },
    true,
  );
})();

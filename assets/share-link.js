// Share tab helpers. Buttons carry their data in attributes; listeners are
// delegated from the document, so they work on whatever React renders.
(function () {
  "use strict";
  function say(text) {
    var status = document.getElementById("share-status");
    if (status) status.textContent = text;
  }
  function copy(url) {
    if (navigator.clipboard && navigator.clipboard.writeText) {
      return navigator.clipboard.writeText(url).then(
        function () { say("Link copied."); },
        function () { selectLink(); }
      );
    }
    selectLink();
  }
  function selectLink() {
    var input = document.getElementById("new-link");
    if (input) { input.focus(); input.select(); }
    say("Copy the selected link.");
  }
  document.addEventListener("click", function (event) {
    var target = event.target instanceof Element ? event.target : null;
    var shareButton = target && target.closest("[data-share-url]");
    var copyButton = target && target.closest("[data-copy-url]");
    if (shareButton) {
      var url = shareButton.getAttribute("data-share-url");
      if (navigator.share) {
        navigator.share({ title: "My mesotherapy journal", url: url }).catch(function () {});
      } else {
        copy(url);
      }
    } else if (copyButton) {
      copy(copyButton.getAttribute("data-copy-url"));
    }
  });
  // The PDF form: on phones that can share files, send the PDF through the
  // share sheet; everywhere else the form downloads it as usual.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-share-file")) return;
    if (!navigator.canShare || !window.File) return;
    var probe = new File([""], "report.pdf", { type: "application/pdf" });
    if (!navigator.canShare({ files: [probe] })) return;
    event.preventDefault();
    var query = new URLSearchParams(new FormData(form)).toString();
    fetch(form.action + "?" + query, { credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.blob();
      })
      .then(function (blob) {
        var file = new File([blob], "meso-journal-report.pdf", { type: "application/pdf" });
        return navigator.share({ files: [file], title: "Mesotherapy journal" });
      })
      .catch(function (error) {
        if (error && error.name === "AbortError") return; // the patient closed the sheet
        form.removeAttribute("data-share-file");
        form.submit();
      });
  });
})();

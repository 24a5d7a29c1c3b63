// Upload progress on every form that sends files (issue 16): when the chosen files weigh more than MIN_BYTES (a phone
// photo, a scan: seconds on a village connection), the form is sent with XMLHttpRequest so its upload progress can be
// shown in a <progress> bar; the answer (the next page, or the form with its errors) then replaces the page as a
// normal submit would, and the address follows it. Smaller files, a browser without FormData/XMLHttpRequest upload
// events, or no script at all: the form is sent the ordinary way.
(function () {
  "use strict";
  var script = document.currentScript;
  if (!window.FormData || !window.XMLHttpRequest || !("upload" in new XMLHttpRequest())) return;
  var label = (script && script.dataset.label) || "";
  var failed = (script && script.dataset.failed) || "";

  var MIN_BYTES = 200 * 1024;

  function chosenBytes(form) {
    var total = 0;
    Array.prototype.forEach.call(form.querySelectorAll("input[type=file]"), function (input) {
      Array.prototype.forEach.call(input.files || [], function (file) { total += file.size; });
    });
    return total;
  }

  function showPage(xhr) {
    var url = xhr.responseURL || window.location.href;
    if (url !== window.location.href) window.history.pushState(null, "", url);
    document.open();
    document.write(xhr.responseText);
    document.close();
    // the page shown is not the one the history holds under the previous address: going back loads it afresh
    window.addEventListener("popstate", function () { window.location.reload(); });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (event.defaultPrevented || !(form instanceof HTMLFormElement)) return;
    if ((form.method || "").toLowerCase() !== "post" || form.enctype !== "multipart/form-data") return;
    if (chosenBytes(form) < MIN_BYTES) return;
    if (form.dataset.kdUploading) { event.preventDefault(); return; } // a second tap while sending
    event.preventDefault();
    var data;
    try { data = new FormData(form, event.submitter); } catch (e) { data = new FormData(form); }

    var box = document.createElement("div");
    box.className = "kd-upload-progress";
    box.setAttribute("data-testid", "upload-progress");
    var text = document.createElement("div");
    text.className = "small";
    text.id = "kd-upload-label";
    text.setAttribute("aria-live", "polite");
    var bar = document.createElement("progress");
    bar.max = 100;
    bar.value = 0;
    bar.setAttribute("aria-labelledby", "kd-upload-label");
    box.appendChild(text);
    box.appendChild(bar);
    form.appendChild(box);
    form.dataset.kdUploading = "1";
    var buttons = form.querySelectorAll("button[type=submit], input[type=submit]");
    Array.prototype.forEach.call(buttons, function (b) { b.disabled = true; });

    function percent(p) {
      bar.value = p;
      text.textContent = label.replace("{percent}", String(p));
    }
    percent(0);
    var xhr = new XMLHttpRequest();
    xhr.open("POST", form.action || window.location.href);
    xhr.upload.addEventListener("progress", function (e) {
      if (e.lengthComputable) percent(Math.min(100, Math.round((e.loaded / e.total) * 100)));
    });
    xhr.addEventListener("load", function () {
      if ((xhr.getResponseHeader("Content-Type") || "").indexOf("text/html") === 0) {
        showPage(xhr);
      } else {
        window.location.href = xhr.responseURL || window.location.href;
      }
    });
    xhr.addEventListener("error", function () {
      delete form.dataset.kdUploading;
      Array.prototype.forEach.call(buttons, function (b) { b.disabled = false; });
      bar.remove();
      text.textContent = failed;
      text.className = "alert alert-danger py-1 px-2 small";
    });
    xhr.send(data);
  });
})();

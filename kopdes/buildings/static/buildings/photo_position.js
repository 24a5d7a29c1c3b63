// Photo positions for a building step's form (a form with data-photo-position): when photos are chosen, each
// photo's EXIF GPS position and DateTimeOriginal are read in the browser with exifr (vendored from npm) from the
// file as chosen, before any resizing, and written to the hidden fields exif_lat / exif_lon / exif_time (one entry per
// file in the input's order, separated by ";"). The phone's own location is asked for once (the browser asks the
// user) and written to device_lat / device_lon / accuracy. Positions are evidence shown to the office, never a
// reason to refuse: a photo without any is sent all the same and flagged. Without the script the form works as is
// (the server reads the EXIF of the photos it receives).
(function () {
  "use strict";
  var script = document.currentScript;
  var located = (script && script.dataset.located) || "";
  var unlocated = (script && script.dataset.unlocated) || "";

  function field(form, name) {
    return form.querySelector("input[name='" + name + "']");
  }

  function cameraTime(raw) {
    // "YYYY:MM:DD HH:MM:SS" (the camera's clock, no zone) -> "YYYY-MM-DDTHH:MM:SS"
    var m = /^(\d{4}):(\d{2}):(\d{2})[ T](\d{2}):(\d{2}):(\d{2})/.exec(String(raw || ""));
    return m ? m[1] + "-" + m[2] + "-" + m[3] + "T" + m[4] + ":" + m[5] + ":" + m[6] : "";
  }

  function readOne(file) {
    var empty = { lat: "", lon: "", time: "" };
    if (!window.exifr || !/^image\/(jpeg|png|heic|heif|tiff)$/.test(file.type)) return Promise.resolve(empty);
    // the mini build carries no tag names: DateTimeOriginal is tag 36867 (0x9003), DateTime (ModifyDate) 306
    return window.exifr
      .parse(file, { reviveValues: false })
      .catch(function () { return null; })
      .then(function (found) {
        found = found || {};
        var ok = isFinite(found.latitude) && isFinite(found.longitude);
        return {
          lat: ok ? Number(found.latitude).toFixed(6) : "",
          lon: ok ? Number(found.longitude).toFixed(6) : "",
          time: cameraTime(found[36867] || found.DateTimeOriginal || found[306] || found.ModifyDate),
        };
      });
  }

  function showStatus(input, rows, files) {
    var list = input.parentNode.querySelector("ul[data-photo-status]");
    if (!list) {
      list = document.createElement("ul");
      list.setAttribute("data-photo-status", "");
      list.className = "list-unstyled small mt-1 mb-0";
      input.parentNode.appendChild(list);
    }
    list.textContent = "";
    rows.forEach(function (row, i) {
      if (!/^image\//.test(files[i].type)) return;
      var item = document.createElement("li");
      item.className = row.lat ? "text-success" : "text-warning-emphasis";
      item.textContent = files[i].name + ": " + (row.lat ? located + " (" + row.lat + ", " + row.lon + ")" : unlocated);
      list.appendChild(item);
    });
  }

  function askLocation(form) {
    if (!navigator.geolocation || form.dataset.kdLocated) return;
    form.dataset.kdLocated = "1";
    navigator.geolocation.getCurrentPosition(
      function (where) {
        field(form, "device_lat").value = where.coords.latitude.toFixed(6);
        field(form, "device_lon").value = where.coords.longitude.toFixed(6);
        field(form, "accuracy").value = String(Math.round(where.coords.accuracy));
      },
      function () { /* refused or unavailable: the photos go without the phone's location */ },
      { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 }
    );
  }

  Array.prototype.forEach.call(document.querySelectorAll("form[data-photo-position]"), function (form) {
    var input = form.querySelector("input[type=file]");
    if (!input || !field(form, "exif_lat")) return;
    var reading = null;
    input.addEventListener("change", function () {
      var files = Array.prototype.slice.call(input.files || []);
      askLocation(form);
      reading = Promise.all(files.map(readOne)).then(function (rows) {
        field(form, "exif_lat").value = rows.map(function (r) { return r.lat; }).join(";");
        field(form, "exif_lon").value = rows.map(function (r) { return r.lon; }).join(";");
        field(form, "exif_time").value = rows.map(function (r) { return r.time; }).join(";");
        showStatus(input, rows, files);
        reading = null;
      });
    });
    // a submit while the photos are still being read waits for them (a fraction of a second), then goes on
    form.addEventListener(
      "submit",
      function (event) {
        if (!reading) return;
        event.preventDefault();
        event.stopImmediatePropagation();
        reading.then(function () {
          if (form.requestSubmit) form.requestSubmit();
          else form.submit();
        });
      },
      true
    );
  });
})();

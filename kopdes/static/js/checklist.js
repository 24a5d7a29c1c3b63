// Enhances includes/checklist.html (a long list of checkboxes) with a filter box, "select all shown", "clear shown" and
// the number chosen. Without this script the list still works: it is plain checkboxes in a scrolling box.
(function () {
  "use strict";
  function fold(text) {
    // case- and accent-insensitive matching: "sungai" finds "Sungai Terik", "e" finds "é"
    return text.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  }
  function enhance(fieldset, index) {
    var list = fieldset.querySelector(".kd-checklist");
    var items = Array.prototype.slice.call(fieldset.querySelectorAll(".kd-checklist-item"));
    if (!list || items.length < 8) return;
    var texts = items.map(function (item) { return fold(item.textContent); });
    var boxes = items.map(function (item) { return item.querySelector("input[type=checkbox]"); });
    var data = fieldset.dataset;
    var tools = document.createElement("div");
    tools.className = "kd-checklist-tools";
    var search = document.createElement("input");
    search.type = "search";
    search.className = "form-control";
    search.id = "kd-checklist-filter-" + index;
    search.placeholder = data.kdFilterPlaceholder || "";
    search.setAttribute("aria-label", data.kdFilterLabel || "");
    search.setAttribute("aria-controls", list.id);
    search.autocomplete = "off";
    function button(label, onClick) {
      var b = document.createElement("button");
      b.type = "button";
      b.className = "btn btn-outline-secondary btn-sm";
      b.textContent = label;
      b.addEventListener("click", onClick);
      return b;
    }
    var count = document.createElement("span");
    count.className = "small text-muted ms-auto";
    count.setAttribute("aria-live", "polite");
    var none = document.createElement("p");
    none.className = "small text-muted mb-0";
    none.textContent = data.kdNoneShown || "";
    none.hidden = true;
    function shown() { return boxes.filter(function (box, i) { return !items[i].hidden; }); }
    function update() {
      var n = boxes.filter(function (box) { return box.checked; }).length;
      count.textContent = (data.kdChosen || "{n}").replace("{n}", String(n));
    }
    function setShown(checked) {
      shown().forEach(function (box) { box.checked = checked; });
      update();
    }
    search.addEventListener("input", function () {
      var words = fold(search.value).split(/\s+/).filter(Boolean);
      var visible = 0;
      items.forEach(function (item, i) {
        var match = words.every(function (w) { return texts[i].indexOf(w) !== -1; });
        item.hidden = !match;
        if (match) visible += 1;
      });
      none.hidden = visible !== 0;
    });
    search.addEventListener("keydown", function (event) {
      if (event.key === "Enter") event.preventDefault(); // Enter in the filter must not send the form
    });
    list.addEventListener("change", update);
    tools.appendChild(search);
    tools.appendChild(button(data.kdSelectShown || "+", function () { setShown(true); }));
    tools.appendChild(button(data.kdClearShown || "-", function () { setShown(false); }));
    tools.appendChild(count);
    fieldset.insertBefore(tools, list);
    list.appendChild(none);
    update();
  }
  Array.prototype.forEach.call(document.querySelectorAll("[data-kd-checklist]"), enhance);
})();

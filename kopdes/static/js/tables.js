// Sort and search on long tables, for any page: load this file (no inline script: CSP) and mark the table.
//   <table data-sortable>  every column header becomes a button; clicking sorts the rows (again: the other way),
//                          the header says so with aria-sort. A cell's data-sort="…" is sorted by instead of its text
//                          (dates as ISO, stages as numbers); a header with data-nosort stays as it is.
//   <table data-filter>    a search box above the table hides the rows that do not contain what is typed.
//                          data-filter-label="…" names the box (default: "Cari di tabel" / "Search the table").
// A table stacked on phones (.kd-stack hides its header row there) also gets a "Sort by" list, shown on phones only.
// Without script the table is complete and readable as served (progressive enhancement); only tbody rows move.
(function () {
  "use strict";
  var english = (document.documentElement.lang || "id").indexOf("en") === 0;
  var text = english
    ? { search: "Search the table", shown: "{n} of {m} rows shown", sort: "Sort by this column", sortBy: "Sort by",
        up: "ascending", down: "descending" }
    : { search: "Cari di tabel", shown: "{n} dari {m} baris ditampilkan", sort: "Urutkan menurut kolom ini",
        sortBy: "Urutkan", up: "naik", down: "turun" };

  function number(raw) {
    // "1.234" and "12,5%" (Indonesian) or "1,234" and "12.5%" (English); null when not a number
    var s = raw.replace(/[%\s\u00a0]/g, "");
    if (!/^-?[\d.,]+$/.test(s)) return null;
    s = english ? s.replace(/,/g, "") : s.replace(/\./g, "").replace(",", ".");
    var n = parseFloat(s);
    return isNaN(n) ? null : n;
  }

  function key(cell) {
    if (!cell) return "";
    var raw = cell.hasAttribute("data-sort") ? cell.getAttribute("data-sort") : cell.textContent.trim();
    var n = number(raw);
    return n === null ? raw.toLocaleLowerCase() : n;
  }

  function compare(a, b) {
    if (typeof a === "number" && typeof b === "number") return a - b;
    if (typeof a === "number") return -1;
    if (typeof b === "number") return 1;
    return a.localeCompare(b, english ? "en" : "id", { numeric: true });
  }

  function sortRows(table, column, ascending) {
    var head = table.tHead.rows[0];
    var body = table.tBodies[0];
    Array.prototype.forEach.call(head.cells, function (other) { other.removeAttribute("aria-sort"); });
    head.cells[column].setAttribute("aria-sort", ascending ? "ascending" : "descending");
    var rows = Array.prototype.slice.call(body.rows).map(function (row, i) {
      return { row: row, key: key(row.cells[column]), i: i };
    });
    rows.sort(function (a, b) {
      var c = compare(a.key, b.key);
      return (ascending ? c : -c) || a.i - b.i;
    });
    rows.forEach(function (r) { body.appendChild(r.row); });
  }

  function sortable(table) {
    var head = table.tHead && table.tHead.rows[0];
    if (!head || !table.tBodies[0]) return;
    var choices = [];
    Array.prototype.forEach.call(head.cells, function (th, column) {
      if (th.hasAttribute("data-nosort") || th.colSpan > 1) return;
      choices.push({ column: column, label: th.textContent.trim() });
      var button = document.createElement("button");
      button.type = "button";
      button.className = "kd-sort";
      button.title = text.sort;
      while (th.firstChild) button.appendChild(th.firstChild);
      th.appendChild(button);
      button.addEventListener("click", function () {
        sortRows(table, column, th.getAttribute("aria-sort") !== "ascending");
      });
    });
    if (table.classList.contains("kd-stack")) phoneSort(table, choices);
  }

  function phoneSort(table, choices) {
    // on a phone the stacked table has no visible header: the same sorts from a list
    var select = document.createElement("select");
    select.className = "form-select form-select-sm w-auto";
    select.setAttribute("aria-label", text.sortBy);
    select.setAttribute("data-testid", "table-sort");
    var none = document.createElement("option");
    none.value = "";
    none.textContent = text.sortBy + "…";
    select.appendChild(none);
    choices.forEach(function (choice) {
      [true, false].forEach(function (ascending) {
        var option = document.createElement("option");
        option.value = choice.column + (ascending ? ":a" : ":d");
        option.textContent = choice.label + " (" + (ascending ? text.up : text.down) + ")";
        select.appendChild(option);
      });
    });
    select.addEventListener("change", function () {
      if (!select.value) return;
      var parts = select.value.split(":");
      sortRows(table, parseInt(parts[0], 10), parts[1] === "a");
    });
    var holder = document.createElement("div");
    holder.className = "d-sm-none";
    holder.appendChild(select);
    toolbar(table).appendChild(holder);
  }

  function toolbar(table) {
    if (table.kdToolbar) return table.kdToolbar;
    var box = document.createElement("div");
    box.className = "kd-table-tools kd-no-print d-flex flex-wrap align-items-center gap-2 mb-2 small";
    var anchor = table.parentElement && table.parentElement.classList.contains("table-responsive")
      ? table.parentElement : table;
    anchor.parentElement.insertBefore(box, anchor);
    table.kdToolbar = box;
    return box;
  }

  var counter = 0;
  function filterable(table) {
    var body = table.tBodies[0];
    if (!body) return;
    counter += 1;
    var id = "kd-filter-" + counter;
    var box = toolbar(table);
    var label = document.createElement("label");
    label.htmlFor = id;
    label.className = "form-label mb-0";
    label.textContent = table.getAttribute("data-filter-label") || text.search;
    var input = document.createElement("input");
    input.type = "search";
    input.id = id;
    input.className = "form-control form-control-sm w-auto";
    input.setAttribute("data-testid", "table-filter");
    var status = document.createElement("span");
    status.className = "text-muted";
    status.setAttribute("aria-live", "polite");
    box.appendChild(label);
    box.appendChild(input);
    box.appendChild(status);
    input.addEventListener("input", function () {
      var words = input.value.toLocaleLowerCase().split(/\s+/).filter(Boolean);
      var shown = 0;
      Array.prototype.forEach.call(body.rows, function (row) {
        var hay = row.textContent.toLocaleLowerCase();
        var match = words.every(function (w) { return hay.indexOf(w) !== -1; });
        row.hidden = !match;
        if (match) shown += 1;
      });
      status.textContent = words.length
        ? text.shown.replace("{n}", shown).replace("{m}", body.rows.length) : "";
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll("table[data-filter]"), filterable);
  Array.prototype.forEach.call(document.querySelectorAll("table[data-sortable]"), sortable);
})();

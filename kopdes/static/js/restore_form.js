// Puts back what a user typed into a form that was sent after the session had ended (kopdes/accounts/sessions.py).
// The fields come from the page itself (a JSON script element), never from the address. Files cannot be restored.
(function () {
  "use strict";
  var source = document.getElementById("kd-restored-form");
  if (!source) return;
  var kept = JSON.parse(source.textContent);
  var forms = Array.prototype.filter.call(document.querySelectorAll("form[method=post], form[method=POST]"), function (form) {
    return new URL(form.action, window.location.href).pathname === kept.action;
  });
  var form = forms[0];
  if (!form) return;
  var seen = {};
  kept.fields.forEach(function (pair) {
    var name = pair[0], value = pair[1];
    var elements = Array.prototype.filter.call(form.elements, function (el) { return el.name === name; });
    if (!elements.length) return;
    var first = elements[0];
    if (first.type === "checkbox" || first.type === "radio") {
      if (!seen[name]) { elements.forEach(function (el) { el.checked = false; }); seen[name] = true; }
      elements.forEach(function (el) { if (el.value === value) el.checked = true; });
    } else if (first.tagName === "SELECT" && first.multiple) {
      if (!seen[name]) { Array.prototype.forEach.call(first.options, function (o) { o.selected = false; }); seen[name] = true; }
      Array.prototype.forEach.call(first.options, function (o) { if (o.value === value) o.selected = true; });
    } else if (first.type !== "file" && first.type !== "submit") {
      // hidden fields too: a version number kept from the old form lets the stale-save check see a change made meanwhile
      // repeated names (rows of a formset-like table) fill in order
      var index = seen[name] || 0;
      if (elements[index]) elements[index].value = value;
      seen[name] = index + 1;
    }
  });
  form.scrollIntoView();
})();

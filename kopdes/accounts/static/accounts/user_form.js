// The new-account form: the region list shows only the levels the chosen role may be assigned on
// (data-levels on the role select: role -> levels, -1 for "the whole nation", i.e. the empty option).
(function () {
  "use strict";
  var role = document.querySelector("select[data-levels]");
  var region = document.querySelector("select[data-by-role]");
  if (!role || !region) {
    return;
  }
  var levels = JSON.parse(role.getAttribute("data-levels"));
  function narrow() {
    var allowed = levels[role.value];
    Array.prototype.forEach.call(region.options, function (option) {
      var level = option.value ? option.getAttribute("data-level") : "-1";
      var shown = !allowed || allowed.indexOf(Number(level)) !== -1;
      option.hidden = !shown;
      option.disabled = !shown && option.value !== "";
    });
    var current = region.options[region.selectedIndex];
    if (current && current.disabled) {
      region.value = "";
    }
  }
  role.addEventListener("change", narrow);
  narrow();
})();

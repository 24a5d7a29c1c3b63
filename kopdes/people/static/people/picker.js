// The roster picker (people.forms.PeoplePicker), as progressive enhancement: the <select multiple> of the village's
// people stays the form's field; this script hides it and drives it from a search box built as an ARIA 1.2 combobox
// (list autocomplete, aria-activedescendant), chips for the picked people, and "add a new person" in place.
// Keys in the box: ArrowDown/ArrowUp move, Enter picks, Escape closes the list (a second Escape clears the box).
(function () {
  "use strict";
  if (window.kdPickerLoaded) {
    return;
  }
  window.kdPickerLoaded = true;

  var counter = 0;

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      node.setAttribute(key, attrs[key]);
    });
    if (text) {
      node.textContent = text;
    }
    return node;
  }

  function init(root) {
    if (root.dataset.kdReady) {
      return;
    }
    root.dataset.kdReady = "1";
    var t = root.dataset;
    var select = root.querySelector("select[multiple]");
    var id = select.id || "kd-picker-" + ++counter;
    var listId = id + "-list";
    select.id = id + "-select";
    select.hidden = true;
    select.tabIndex = -1;
    select.setAttribute("aria-hidden", "true");

    var chips = el("ul", { class: "kd-chips", "aria-label": t.textPicked });
    var input = el("input", {
      type: "text",
      id: id,
      class: "form-control kd-picker-input",
      role: "combobox",
      "aria-autocomplete": "list",
      "aria-expanded": "false",
      "aria-controls": listId,
      autocomplete: "off",
      autocapitalize: "words",
      spellcheck: "false",
      placeholder: t.textPlaceholder,
    });
    var describedBy = select.getAttribute("aria-describedby");
    if (describedBy) {
      input.setAttribute("aria-describedby", describedBy);
    }
    var list = el("ul", { id: listId, role: "listbox", class: "kd-options", hidden: "" });
    var status = el("div", { class: "visually-hidden", role: "status", "aria-live": "polite" });
    var addSlot = el("div", {});
    root.insertBefore(chips, select);
    root.insertBefore(input, select);
    root.insertBefore(list, select);
    root.insertBefore(status, select);
    root.insertBefore(addSlot, select);

    // Per-person values (people.forms.Extra): each picked person is a row with its small controls, kept (with what was
    // chosen) while the person stays picked; a new one is cloned from the <template>, "__ID__" replaced by the id.
    var rowsBox = root.querySelector("[data-kd-rows]");
    var rowTemplate = root.querySelector("template[data-kd-row-template]");
    if (rowsBox) {
      root.insertBefore(rowsBox, input);
      chips.hidden = true;
    }

    function newRow(option) {
      var row = rowTemplate.content.firstElementChild.cloneNode(true);
      row.dataset.kdRow = option.value;
      row.querySelectorAll("[name], [id], [for]").forEach(function (node) {
        ["name", "id", "for"].forEach(function (attr) {
          if (node.hasAttribute(attr)) {
            node.setAttribute(attr, node.getAttribute(attr).replace("__ID__", option.value));
          }
        });
      });
      var name = option.textContent.split(" · ")[0];
      row.querySelector("[data-kd-row-name]").textContent = name;
      row.querySelectorAll("[data-kd-row-who]").forEach(function (node) {
        node.textContent = ", " + name;
      });
      return row;
    }

    function syncRows() {
      var rows = {};
      rowsBox.querySelectorAll("[data-kd-row]").forEach(function (row) {
        rows[row.dataset.kdRow] = row;
      });
      picked().forEach(function (option) {
        var row = rows[option.value] || newRow(option);
        delete rows[option.value];
        if (!row.querySelector(".kd-chip-remove")) {
          var name = option.textContent.split(" · ")[0];
          var remove = el("button", {
            type: "button",
            class: "kd-chip-remove",
            "aria-label": t.textRemove + " " + name,
          }, "×");
          remove.addEventListener("click", function () {
            option.selected = false;
            renderChips();
            input.focus();
          });
          row.appendChild(remove);
        }
        rowsBox.appendChild(row); // the order picked
      });
      Object.keys(rows).forEach(function (key) {
        rows[key].remove();
      });
    }

    var results = [];
    var active = -1;
    var timer = null;
    var lastQuery = null;

    function picked() {
      return Array.prototype.filter.call(select.options, function (o) {
        return o.selected;
      });
    }

    function renderChips() {
      if (rowsBox) {
        syncRows();
        return;
      }
      chips.textContent = "";
      picked().forEach(function (option) {
        var chip = el("li", { class: "kd-chip" });
        chip.appendChild(el("span", {}, option.textContent.split(" · ")[0]));
        var remove = el("button", {
          type: "button",
          class: "kd-chip-remove",
          "aria-label": t.textRemove + " " + option.textContent.split(" · ")[0],
        }, "×");
        remove.addEventListener("click", function () {
          option.selected = false;
          renderChips();
          input.focus();
        });
        chip.appendChild(remove);
        chips.appendChild(chip);
      });
    }

    function pick(person) {
      var option = Array.prototype.find.call(select.options, function (o) {
        return o.value === String(person.id);
      });
      if (!option) {
        option = new Option(person.label, String(person.id));
      }
      select.appendChild(option); // the end of the list: the order picked is the order kept
      option.selected = true;
      renderChips();
      status.textContent = t.textPicked + ": " + person.name;
      input.value = "";
      close();
      input.focus();
    }

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function setActive(index) {
      var items = list.querySelectorAll("[role=option]");
      if (!items.length) {
        return;
      }
      active = (index + items.length) % items.length;
      items.forEach(function (item, i) {
        item.setAttribute("aria-selected", i === active ? "true" : "false");
        item.classList.toggle("active", i === active);
      });
      input.setAttribute("aria-activedescendant", items[active].id);
      items[active].scrollIntoView({ block: "nearest" });
    }

    function render(query) {
      list.textContent = "";
      var chosen = picked().map(function (o) {
        return o.value;
      });
      var shown = results.filter(function (p) {
        return chosen.indexOf(String(p.id)) < 0;
      });
      shown.forEach(function (person, i) {
        var item = el("li", { role: "option", id: listId + "-" + i, "aria-selected": "false", class: "kd-option" });
        item.appendChild(el("span", { class: "kd-option-name" }, person.name));
        var detail = [person.dusun, person.rt_rw ? "RT " + person.rt_rw : "", person.nik].filter(Boolean).join(" · ");
        if (detail) {
          item.appendChild(el("span", { class: "kd-option-detail" }, detail));
        }
        item.addEventListener("mousedown", function (event) {
          event.preventDefault(); // keep the focus in the box
        });
        item.addEventListener("click", function () {
          pick(person);
        });
        item.kdPick = function () {
          pick(person);
        };
        list.appendChild(item);
      });
      if (!shown.length) {
        list.appendChild(el("li", { class: "kd-option-none", role: "presentation" }, t.textNone));
      }
      if (t.createUrl && query) {
        var add = el("li", {
          role: "option",
          id: listId + "-add",
          "aria-selected": "false",
          class: "kd-option kd-option-add",
        }, "+ " + t.textAdd + ": “" + query + "”");
        add.addEventListener("mousedown", function (event) {
          event.preventDefault();
        });
        add.addEventListener("click", function () {
          openAdd(query);
        });
        add.kdPick = function () {
          openAdd(query);
        };
        list.appendChild(add);
      }
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      active = -1;
      status.textContent = shown.length ? shown.length + "" : t.textNone;
    }

    function search() {
      var query = input.value.trim();
      if (!query) {
        close();
        return;
      }
      lastQuery = query;
      fetch(t.searchUrl + "?q=" + encodeURIComponent(query), {
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      })
        .then(function (response) {
          if (!response.ok) {
            throw new Error(response.status);
          }
          return response.json();
        })
        .then(function (data) {
          if (query !== lastQuery || input.value.trim() !== query) {
            return; // an older answer: the user typed on
          }
          results = data.results || [];
          render(query);
        })
        .catch(function () {
          status.textContent = t.textError;
        });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(search, 200);
    });
    input.addEventListener("keydown", function (event) {
      var items = list.querySelectorAll("[role=option]");
      if (event.key === "ArrowDown") {
        event.preventDefault();
        if (list.hidden) {
          search();
        } else {
          setActive(active + 1);
        }
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        if (!list.hidden) {
          setActive(active - 1);
        }
      } else if (event.key === "Enter") {
        if (!list.hidden || input.value.trim()) {
          event.preventDefault(); // never submit the form from the search box
        }
        if (!list.hidden && active >= 0 && items[active]) {
          items[active].kdPick();
        } else if (!list.hidden && items.length === 1 && items[0].kdPick) {
          items[0].kdPick();
        }
      } else if (event.key === "Escape") {
        if (!list.hidden) {
          event.preventDefault();
          close();
        } else if (input.value) {
          event.preventDefault();
          input.value = "";
        }
      }
    });
    input.addEventListener("blur", function () {
      setTimeout(close, 150);
    });

    // "Add a new person" in place: the fields of the <template>, posted with the page's CSRF token.
    function openAdd(name) {
      var template = root.querySelector("template[data-kd-add-form]");
      if (!template) {
        return;
      }
      close();
      addSlot.textContent = "";
      var box = template.content.firstElementChild.cloneNode(true);
      box.querySelectorAll("[data-field]").forEach(function (field) {
        var fieldId = id + "-new-" + field.dataset.field;
        field.id = fieldId;
        var label = box.querySelector("[data-for=" + field.dataset.field + "]");
        if (label) {
          label.setAttribute("for", fieldId);
        }
        field.addEventListener("keydown", function (event) {
          if (event.key === "Enter") {
            event.preventDefault();
            save();
          } else if (event.key === "Escape") {
            event.preventDefault();
            cancel();
          }
        });
      });
      box.querySelector("[data-field=name]").value = name;
      addSlot.appendChild(box);
      box.querySelector("[data-kd-add-save]").addEventListener("click", save);
      box.querySelector("[data-kd-add-cancel]").addEventListener("click", cancel);
      (name ? box.querySelector("[data-field=nik]") : box.querySelector("[data-field=name]")).focus();

      function cancel() {
        addSlot.textContent = "";
        input.focus();
      }

      function save() {
        var body = new FormData();
        var form = root.closest("form");
        var token = form && form.querySelector("input[name=csrfmiddlewaretoken]");
        body.append("csrfmiddlewaretoken", token ? token.value : "");
        box.querySelectorAll(".kd-field-error").forEach(function (node) {
          node.remove();
        });
        box.querySelectorAll("[data-field]").forEach(function (field) {
          field.classList.remove("is-invalid");
          field.removeAttribute("aria-invalid");
          body.append(field.dataset.field, field.value);
        });
        fetch(t.createUrl, { method: "POST", body: body, credentials: "same-origin", headers: { Accept: "application/json" } })
          .then(function (response) {
            return response.json().then(function (data) {
              return { ok: response.ok, data: data };
            });
          })
          .then(function (answer) {
            if (answer.ok) {
              addSlot.textContent = "";
              pick(answer.data);
              return;
            }
            var first = null;
            Object.keys(answer.data.errors || {}).forEach(function (key) {
              var field = box.querySelector("[data-field=" + key + "]") || box.querySelector("[data-field=name]");
              var message = el("div", { class: "invalid-feedback d-block kd-field-error", id: field.id + "-error" });
              message.textContent = answer.data.errors[key].join(" ");
              field.classList.add("is-invalid");
              field.setAttribute("aria-invalid", "true");
              field.setAttribute("aria-describedby", message.id);
              field.insertAdjacentElement("afterend", message);
              first = first || field;
            });
            if (first) {
              first.focus();
            }
          })
          .catch(function () {
            status.textContent = t.textError;
          });
      }
    }

    renderChips();
  }

  function start() {
    document.querySelectorAll("[data-kd-picker]").forEach(init);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();

// The unit picker (templates/_macros/unit_picker.html): type a few letters of a unit's name (with or without
// diacritics) or its code, choose in the list with the mouse or the arrows and Enter (Escape closes it). The list
// comes from the lookup address in data-unit-picker (GET ?q=…, JSON [{code, name, path, depth, active}]); before
// anything is typed, ArrowDown offers the page's own suggestions (the top two levels, the <datalist>). One unit:
// the box gets "Name (CODE)". Several (data-unit-target): the chosen unit is added as a line of the text area.
// Without this script the page still works: a code typed is what the server reads.
(function () {
  var counter = 0;

  function setup(box) {
    var url = box.getAttribute("data-unit-picker");
    var target = box.getAttribute("data-unit-target");
    var area = target ? document.getElementById(target) : null;
    var search = area ? box.querySelector(".unit-picker-search") : null;
    var input = box.querySelector("input[role=combobox]");
    var list = box.querySelector("[role=listbox]");
    var chosen = box.querySelector("[data-unit-chosen]");
    if (!input || !list) {
      return;
    }
    var suggestions = [];
    var datalist = input.getAttribute("list") ? document.getElementById(input.getAttribute("list")) : null;
    if (datalist) {
      suggestions = Array.prototype.map.call(datalist.querySelectorAll("option"), function (option) {
        var depth = (option.textContent.match(/^\u00a0*/) || [""])[0].length / 2;
        return {code: option.value, name: option.textContent.replace(/^\u00a0+/, ""), path: "", depth: depth};
      });
      input.removeAttribute("list"); // the script's own list replaces the browser's
    }
    if (search) {
      search.hidden = false;
    }
    var prefix = "unit-option-" + (++counter) + "-";
    var items = [];
    var active = -1;
    var timer = null;
    var asked = 0;

    function show(open) {
      list.classList.toggle("d-none", !open);
      input.setAttribute("aria-expanded", open ? "true" : "false");
      if (!open) {
        input.removeAttribute("aria-activedescendant");
        active = -1;
      }
    }

    function highlight(index) {
      var options = list.querySelectorAll("[role=option]");
      if (!options.length) {
        return;
      }
      active = (index + options.length) % options.length;
      options.forEach(function (option, i) {
        option.classList.toggle("active", i === active);
        option.setAttribute("aria-selected", i === active ? "true" : "false");
      });
      input.setAttribute("aria-activedescendant", options[active].id);
      options[active].scrollIntoView({block: "nearest"});
    }

    function place(item) {
      return item.name + " (" + item.code + ")" + (item.path ? " — " + item.path : "");
    }

    function choose(index) {
      var item = items[index];
      if (!item) {
        return;
      }
      if (area) {
        var lines = area.value.split("\n").map(function (line) { return line.trim(); }).filter(Boolean);
        var line = item.name + " (" + item.code + ")";
        var already = lines.some(function (l) { return l === item.code || l.slice(-item.code.length - 2) === "(" + item.code + ")"; });
        if (!already) {
          lines.push(line);
        }
        area.value = lines.join("\n") + "\n";
        input.value = "";
        if (chosen) {
          chosen.textContent = box.getAttribute(already ? "data-already" : "data-added") + place(item);
        }
      } else {
        input.value = item.name + " (" + item.code + ")";
        if (chosen) {
          chosen.textContent = place(item);
        }
      }
      input.classList.remove("is-invalid");
      show(false);
    }

    function render(found) {
      items = found;
      list.innerHTML = "";
      if (!found.length) {
        var none = document.createElement("li");
        none.className = "list-group-item text-muted";
        none.textContent = box.getAttribute("data-none");
        list.appendChild(none);
        show(true);
        return;
      }
      found.forEach(function (item, i) {
        var li = document.createElement("li");
        li.className = "list-group-item list-group-item-action";
        li.id = prefix + i;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        var name = document.createElement("div");
        name.className = "fw-semibold";
        name.textContent = item.name + (item.active === false ? " ✕" : "");
        var detail = document.createElement("div");
        detail.className = "small text-muted";
        detail.textContent = item.code + (item.path ? " · " + item.path : "");
        li.appendChild(name);
        li.appendChild(detail);
        li.addEventListener("mousedown", function (event) {
          event.preventDefault(); // keep the focus in the box
          choose(i);
        });
        list.appendChild(li);
      });
      show(true);
    }

    function lookup() {
      var q = input.value.trim();
      if (q.length < 2) {
        if (suggestions.length) {
          render(suggestions);
        } else {
          items = [];
          show(false);
        }
        return;
      }
      if (!url) { // a visitor's page: the suggestions only
        var folded = fold(q);
        render(suggestions.filter(function (s) {
          return fold(s.name).indexOf(folded) >= 0 || s.code.toLowerCase().indexOf(folded) === 0;
        }));
        return;
      }
      var ticket = ++asked;
      var sep = url.indexOf("?") >= 0 ? "&" : "?";
      fetch(url + sep + "q=" + encodeURIComponent(q), {credentials: "same-origin", headers: {Accept: "application/json"}})
        .then(function (response) { return response.ok ? response.json() : []; })
        .then(function (found) {
          // an older answer arriving late is dropped, and so is any answer once the user has left the box
          if (ticket === asked && document.activeElement === input) {
            render(found);
          }
        })
        .catch(function () {});
    }

    input.addEventListener("input", function () {
      if (chosen && !area) {
        chosen.textContent = "";
      }
      clearTimeout(timer);
      if (!input.value.trim()) {
        show(false);
        return;
      }
      timer = setTimeout(lookup, 200);
    });
    input.addEventListener("keydown", function (event) {
      var open = input.getAttribute("aria-expanded") === "true";
      if (event.key === "ArrowDown") {
        event.preventDefault();
        if (!open) {
          lookup();
        } else {
          highlight(active + 1);
        }
      } else if (event.key === "ArrowUp" && open) {
        event.preventDefault();
        highlight(active - 1);
      } else if (event.key === "Enter" && open && active >= 0) {
        event.preventDefault();
        choose(active);
      } else if (event.key === "Enter" && area) {
        event.preventDefault(); // Enter in the search box of several units adds, it never sends the form
      } else if (event.key === "Escape" && open) {
        event.preventDefault();
        show(false);
      }
    });
    input.addEventListener("blur", function () {
      clearTimeout(timer);
      asked++; // an answer still on its way is not shown
      show(false);
    });
  }

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/[đĐ]/g, "d").toLowerCase();
  }

  document.querySelectorAll("[data-unit-picker]").forEach(setup);
})();

// The unit picker (templates/_macros/unit_picker.html): type a few letters of a unit's name (with or without
// diacritics) or its code, choose in the list with the mouse or the arrows and Enter (Escape closes it). The list
// comes from the lookup address in data-unit-picker (GET ?q=…, JSON [{code, name, path, depth, active}]); before
// anything is typed, ArrowDown offers the page's own suggestions (the top two levels, the <datalist>). One unit:
// the box gets "Name (CODE)". Several (data-unit-target): the chosen unit is added as a line of the text area.
// Without this script the page still works: a code typed is what the server reads. The list itself: combobox.js.
(function () {
  function setup(box) {
    var url = box.getAttribute("data-unit-picker");
    var target = box.getAttribute("data-unit-target");
    var area = target ? document.getElementById(target) : null;
    var search = area ? box.querySelector(".unit-picker-search") : null;
    var input = box.querySelector("input[role=combobox]");
    var list = box.querySelector("[role=listbox]");
    var chosen = box.querySelector("[data-unit-chosen]");
    if (!input || !list || !window.awardsCombobox) {
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

    function place(item) {
      return item.name + " (" + item.code + ")" + (item.path ? " — " + item.path : "");
    }

    function choose(item) {
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
    }

    function find(q, done) {
      if (q.length < 2) {
        done(suggestions.length ? suggestions : null);
      } else if (!url) { // a visitor's page: the suggestions only
        var folded = fold(q);
        done(suggestions.filter(function (s) {
          return fold(s.name).indexOf(folded) >= 0 || s.code.toLowerCase().indexOf(folded) === 0;
        }));
      } else {
        window.awardsCombobox.getJSON(url + (url.indexOf("?") >= 0 ? "&" : "?") + "q=" + encodeURIComponent(q), done);
      }
    }

    window.awardsCombobox({
      input: input,
      list: list,
      none: box.getAttribute("data-none"),
      fetch: find,
      label: function (item) { return item.name + (item.active === false ? " ✕" : ""); },
      detail: function (item) { return item.code + (item.path ? " · " + item.path : ""); },
      onChoose: choose,
      onInput: function () {
        if (chosen && !area) {
          chosen.textContent = "";
        }
      },
      holdEnter: !!area // Enter in the search box of several units adds, it never sends the form
    });
  }

  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/[đĐ]/g, "d").toLowerCase();
  }

  document.querySelectorAll("[data-unit-picker]").forEach(setup);
})();

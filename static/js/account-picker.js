// The account picker of the council form (templates/_macros/account_picker.html): type a few letters of a person's
// name (with or without diacritics), of their unit or of a username, choose in the list with the mouse or the arrows
// and Enter (Escape closes it). The list comes from the lookup address in data-account-picker (GET ?q=…, JSON
// [{username, name, unit, bound}]); before two letters are typed, the page's own suggestions (the <datalist>: the
// accounts the form names and those of the council's unit). One account (the chair): the box gets the username.
// Several (data-account-target, the seats): a line "username role" is added to the text area, the role from the
// select beside the box. Without this script the page still works: a username typed is what the server reads.
// The list itself: combobox.js (loaded before this file).
(function () {
  function fold(text) {
    return (text || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/[đĐ]/g, "d").toLowerCase();
  }

  function startsAWord(text, word) {
    return text.indexOf(word) === 0 || text.indexOf(" " + word) >= 0;
  }

  function setup(box) {
    var url = box.getAttribute("data-account-picker");
    var target = box.getAttribute("data-account-target");
    var area = target ? document.getElementById(target) : null;
    var search = area ? box.querySelector(".account-picker-search") : null;
    var role = box.querySelector("[data-account-role]");
    var input = box.querySelector("input[role=combobox]");
    var list = box.querySelector("[role=listbox]");
    var chosen = box.querySelector("[data-account-chosen]");
    if (!input || !list || !window.awardsCombobox) {
      return;
    }
    var suggestions = [];
    var datalist = input.getAttribute("list") ? document.getElementById(input.getAttribute("list")) : null;
    if (datalist) {
      suggestions = Array.prototype.map.call(datalist.querySelectorAll("option"), function (option) {
        return {username: option.value, name: option.getAttribute("data-name") || "",
                unit: option.getAttribute("data-unit") || "", bound: !option.hasAttribute("data-unbound")};
      });
      input.removeAttribute("list"); // the script's own list replaces the browser's
    }
    if (search) {
      search.hidden = false;
    }

    function place(item) {
      return item.name + (item.unit ? " · " + item.unit : "");
    }

    function choose(item) {
      if (!area) {
        input.value = item.username;
        if (chosen) {
          chosen.textContent = place(item);
        }
        return;
      }
      var lines = area.value.split("\n").map(function (line) { return line.trim(); }).filter(Boolean);
      var already = lines.some(function (line) { return line.split(/\s+/)[0] === item.username; });
      if (!already) {
        lines.push(item.username + " " + (role ? role.value : ""));
      }
      area.value = lines.map(function (line) { return line.trim(); }).join("\n") + "\n";
      input.value = "";
      if (chosen) {
        chosen.textContent = box.getAttribute(already ? "data-already" : "data-added") + item.username + " — " + place(item);
      }
    }

    function find(q, done) {
      if (q.length >= 2) {
        window.awardsCombobox.getJSON(url + (url.indexOf("?") >= 0 ? "&" : "?") + "q=" + encodeURIComponent(q), done);
        return;
      }
      var folded = fold(q);
      done(suggestions.length ? suggestions.filter(function (s) {
        return !folded || s.username.toLowerCase().indexOf(folded) === 0 || startsAWord(fold(s.name), folded);
      }) : null);
    }

    window.awardsCombobox({
      input: input,
      list: list,
      none: box.getAttribute("data-none"),
      fetch: find,
      label: function (item) { return item.name || item.username; },
      detail: function (item) {
        return [item.username, item.unit, item.bound ? "" : box.getAttribute("data-unbound")].filter(Boolean).join(" · ");
      },
      onChoose: choose,
      onInput: function () {
        if (chosen && !area) {
          chosen.textContent = "";
        }
      },
      holdEnter: !!area // Enter in the search box of the seats adds, it never sends the form
    });
  }

  document.querySelectorAll("[data-account-picker]").forEach(setup);
})();

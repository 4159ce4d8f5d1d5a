// The accessible search box both pickers share (unit-picker.js, subject-search.js): typing asks for options after a
// short pause; the list opens and closes with aria-expanded; ArrowDown/ArrowUp move the highlight
// (aria-activedescendant), Enter chooses, Escape closes, the mouse chooses without taking the focus from the box.
// An answer that arrives after a newer question, or after the user has left the box, is dropped.
// Load this file (defer) before its users.
//
// window.awardsCombobox({
//   input, list,            // the <input role=combobox> and its <ul role=listbox> (with an id: the options' ids)
//   none,                   // the "nothing found" line
//   url: function (q),      // the JSON address for q (an array of items), or null to close the list; or instead
//   fetch: function (q, done), // done(items) to show them, done(null) to close the list
//   label, detail: function (item), // the option's two lines
//   onChoose: function (item), // called when an item is chosen; the list then closes
//   onInput: function (),   // called as the text changes (e.g. to forget an earlier choice)
//   holdEnter: true,        // Enter in the box never sends its form
// })
(function () {
  function getJSON(address, done) {
    fetch(address, {credentials: "same-origin", headers: {Accept: "application/json"}})
      .then(function (response) { return response.ok ? response.json() : []; })
      .then(done)
      .catch(function () {});
  }

  function combobox(options) {
    var input = options.input;
    var list = options.list;
    var items = [];
    var active = -1;
    var timer = null;
    var asked = 0;
    var source = options.fetch || function (q, done) {
      var address = options.url(q);
      if (address) {
        getJSON(address, done);
      } else {
        done(null);
      }
    };

    function show(open) {
      list.classList.toggle("d-none", !open);
      input.setAttribute("aria-expanded", open ? "true" : "false");
      if (!open) {
        input.removeAttribute("aria-activedescendant");
        active = -1;
      }
    }

    function highlight(index) {
      var shown = list.querySelectorAll("[role=option]");
      if (!shown.length) {
        return;
      }
      active = (index + shown.length) % shown.length;
      shown.forEach(function (option, i) {
        option.classList.toggle("active", i === active);
        option.setAttribute("aria-selected", i === active ? "true" : "false");
      });
      input.setAttribute("aria-activedescendant", shown[active].id);
      shown[active].scrollIntoView({block: "nearest"});
    }

    function choose(index) {
      var item = items[index];
      if (!item) {
        return;
      }
      options.onChoose(item);
      input.classList.remove("is-invalid");
      show(false);
    }

    function line(className, text) {
      var div = document.createElement("div");
      div.className = className;
      div.textContent = text;
      return div;
    }

    function render(found) {
      items = found || [];
      list.innerHTML = "";
      if (!found) {
        show(false);
        return;
      }
      if (!found.length) {
        var none = document.createElement("li");
        none.className = "list-group-item text-muted";
        none.textContent = options.none;
        list.appendChild(none);
      }
      found.forEach(function (item, i) {
        var li = document.createElement("li");
        li.className = "list-group-item list-group-item-action";
        li.id = list.id + "-" + i;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        li.appendChild(line("fw-semibold", options.label(item)));
        li.appendChild(line("small text-muted", options.detail(item)));
        li.addEventListener("mousedown", function (event) {
          event.preventDefault(); // keep the focus in the box
          choose(i);
        });
        list.appendChild(li);
      });
      show(true);
    }

    function lookup() {
      var ticket = ++asked;
      source(input.value.trim(), function (found) {
        if (ticket === asked) { // an older answer arriving late is dropped (leaving the box makes every answer older)
          render(found);
        }
      });
    }

    input.addEventListener("input", function () {
      if (options.onInput) {
        options.onInput();
      }
      clearTimeout(timer);
      if (!input.value.trim()) {
        asked++; // nor is an answer to what was there before shown
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
      } else if (event.key === "Enter" && options.holdEnter) {
        event.preventDefault();
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

  combobox.getJSON = getJSON;
  window.awardsCombobox = combobox;
})();

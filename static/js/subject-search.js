// New dossier: one way to pick the person (or unit): type a few letters of the name or the code, choose in the
// list (mouse, or arrows and Enter); the hidden `pick` gets "person:CODE" / "unit:CODE". The list comes from
// /nominations/subjects (people and units the user acts for). Without this script the text typed is resolved by
// the server (a code, or "Name (CODE)"). Also: choosing a campaign puts its awards first and its year in "Năm xét".
(function () {
  var box = document.querySelector("[data-subject-search]");
  if (!box) {
    return;
  }
  var input = box.querySelector("input[role=combobox]");
  var list = document.getElementById("subject-options");
  var pick = document.getElementById("subject-pick");
  var chosen = document.getElementById("subject-chosen");
  var url = box.getAttribute("data-subject-search");
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

  function choose(index) {
    var item = items[index];
    if (!item) {
      return;
    }
    pick.value = item.value;
    input.value = item.label + " (" + item.code + ")";
    chosen.textContent = item.detail;
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
      li.id = "subject-option-" + i;
      li.setAttribute("role", "option");
      li.setAttribute("aria-selected", "false");
      var name = document.createElement("div");
      name.className = "fw-semibold";
      name.textContent = item.label;
      var detail = document.createElement("div");
      detail.className = "small text-muted";
      detail.textContent = item.detail;
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

  function search() {
    var q = input.value.trim();
    if (q.length < 2) {
      items = [];
      show(false);
      return;
    }
    var ticket = ++asked;
    fetch(url + "?q=" + encodeURIComponent(q), {credentials: "same-origin", headers: {Accept: "application/json"}})
      .then(function (response) { return response.ok ? response.json() : []; })
      .then(function (found) {
        if (ticket === asked) { // an older answer arriving late is dropped
          render(found);
        }
      })
      .catch(function () {});
  }

  input.addEventListener("input", function () {
    pick.value = "";
    chosen.textContent = "";
    clearTimeout(timer);
    timer = setTimeout(search, 200);
  });
  input.addEventListener("keydown", function (event) {
    var open = input.getAttribute("aria-expanded") === "true";
    if (event.key === "ArrowDown") {
      event.preventDefault();
      if (!open) {
        search();
      } else {
        highlight(active + 1);
      }
    } else if (event.key === "ArrowUp" && open) {
      event.preventDefault();
      highlight(active - 1);
    } else if (event.key === "Enter" && open && active >= 0) {
      event.preventDefault();
      choose(active);
    } else if (event.key === "Escape" && open) {
      event.preventDefault();
      show(false);
    }
  });
  input.addEventListener("blur", function () { show(false); });

  // The campaign's awards first, its year in "Năm xét".
  var campaign = document.getElementById("campaign_id");
  var award = document.getElementById("award_code");
  var year = document.getElementById("year");
  if (!campaign || !award) {
    return;
  }
  var all = Array.prototype.map.call(award.querySelectorAll("option"), function (o) { return [o.value, o.text]; });
  var groups = Array.prototype.map.call(award.querySelectorAll("optgroup"), function (g) { return g.label; });
  campaign.addEventListener("change", function () {
    var option = campaign.options[campaign.selectedIndex];
    var first = (option.getAttribute("data-awards") || "").split(" ").filter(Boolean);
    var current = award.value;
    award.innerHTML = "";
    function add(parent, pair) {
      var o = document.createElement("option");
      o.value = pair[0];
      o.textContent = pair[1];
      parent.appendChild(o);
    }
    if (first.length) {
      var mine = document.createElement("optgroup");
      mine.label = groups[0] || award.getAttribute("data-campaign-group") || "—";
      var rest = document.createElement("optgroup");
      rest.label = groups[1] || award.getAttribute("data-other-group") || "—";
      all.filter(function (p) { return first.indexOf(p[0]) >= 0; }).forEach(function (p) { add(mine, p); });
      all.filter(function (p) { return first.indexOf(p[0]) < 0; }).forEach(function (p) { add(rest, p); });
      award.appendChild(mine);
      award.appendChild(rest);
      award.value = first.indexOf(current) >= 0 ? current : first[0];
    } else {
      all.forEach(function (p) { add(award, p); });
      award.value = current;
    }
    if (year && option.getAttribute("data-year")) {
      year.value = option.getAttribute("data-year");
    }
  });
})();

// New dossier: one way to pick the person (or unit): type a few letters of the name or the code, choose in the
// list (mouse, or arrows and Enter); the hidden `pick` gets "person:CODE" / "unit:CODE". The list comes from
// /nominations/subjects (people and units the user acts for). Without this script the text typed is resolved by
// the server (a code, or "Name (CODE)"). The list itself is combobox.js's. Also: choosing a campaign puts its awards
// first and its year in "Năm xét".
(function () {
  var box = document.querySelector("[data-subject-search]");
  if (!box) {
    return;
  }
  var pick = document.getElementById("subject-pick");
  var chosen = document.getElementById("subject-chosen");
  var url = box.getAttribute("data-subject-search");
  var input = box.querySelector("input[role=combobox]");
  if (window.awardsCombobox) {
    window.awardsCombobox({
      input: input,
      list: document.getElementById("subject-options"),
      none: box.getAttribute("data-none"),
      url: function (q) { return q.length < 2 ? null : url + "?q=" + encodeURIComponent(q); },
      label: function (item) { return item.label; },
      detail: function (item) { return item.detail; },
      onChoose: function (item) {
        pick.value = item.value;
        input.value = item.label + " (" + item.code + ")";
        chosen.textContent = item.detail;
      },
      onInput: function () {
        pick.value = "";
        chosen.textContent = "";
      }
    });
  }

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

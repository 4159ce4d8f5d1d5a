// The award type form's condition rows (templates/catalog/award_type_form.html): show only the chosen block's
// parameters, add a row (a copy of the last one, renumbered), remove a row. Without JavaScript the page still
// posts its rows: each row shows every block's parameters and the server reads the chosen block's only.
(function () {
  "use strict";
  var box = document.getElementById("conditions");
  var add = document.getElementById("condition-add");
  if (!box || !add) { return; }

  function show(row) {
    var chosen = row.querySelector(".condition-block").value;
    row.querySelectorAll(".condition-param").forEach(function (cell) {
      var on = cell.dataset.block === chosen;
      cell.hidden = !on;
      cell.querySelectorAll("input, select").forEach(function (input) { input.disabled = !on; });
    });
  }

  function renumber() {
    box.querySelectorAll(".condition-row").forEach(function (row, n) {
      row.dataset.row = n;
      row.querySelector(".condition-number").textContent = n + 1;
      row.querySelectorAll("[name^='cond-']").forEach(function (input) {
        input.name = input.name.replace(/^cond-\d+-/, "cond-" + n + "-");
      });
      row.querySelectorAll("[id^='cond-']").forEach(function (input) {
        input.id = input.id.replace(/^cond-\d+-/, "cond-" + n + "-");
      });
      row.querySelectorAll("label[for^='cond-']").forEach(function (label) {
        label.htmlFor = label.htmlFor.replace(/^cond-\d+-/, "cond-" + n + "-");
      });
      row.querySelector(".condition-remove").hidden = false;
    });
  }

  function wire(row) {
    row.querySelector(".condition-block").addEventListener("change", function () { show(row); });
    row.querySelector(".condition-remove").addEventListener("click", function () {
      if (box.querySelectorAll(".condition-row").length > 1) { row.remove(); } else {
        row.querySelector(".condition-block").value = "";
        show(row);
      }
      renumber();
    });
    show(row);
  }

  box.querySelectorAll(".condition-row").forEach(wire);
  add.hidden = false;
  add.addEventListener("click", function () {
    var rows = box.querySelectorAll(".condition-row");
    var copy = rows[rows.length - 1].cloneNode(true);
    copy.querySelectorAll("input").forEach(function (input) {
      if (input.type === "checkbox") { input.checked = false; } else { input.value = ""; }
    });
    copy.querySelectorAll("select").forEach(function (select) { select.value = ""; });
    box.appendChild(copy);
    wire(copy);
    renumber();
  });
  renumber();
}());

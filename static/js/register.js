// Registration page (the form works without it): find members by name or code (without diacritics) and by
// department, and "choose for everyone shown" sets the target of every member the filter shows at once.
(function () {
  var rows = Array.prototype.slice.call(document.querySelectorAll("li[data-member]"));
  var find = document.querySelector("[data-register-find]");
  var box = document.querySelector("[data-register-all]");
  if (!box) {
    return;
  }

  function fold(text) {
    return text.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/g, "d")
      .replace(/\s+/g, " ").trim();
  }

  function visible(row) {
    return !row.classList.contains("d-none");
  }

  if (find) {
    var search = document.getElementById("member-search");
    var unit = document.getElementById("member-unit");
    var shown = find.querySelector("[data-register-shown]");
    var template = shown.getAttribute("data-template");
    var apply = function () {
      var words = fold(search.value);
      var chosen = unit ? unit.value : "";
      var count = 0;
      rows.forEach(function (row) {
        var text = " " + row.getAttribute("data-member");
        var match = (!words || text.indexOf(" " + words) >= 0) && (!chosen || row.getAttribute("data-unit") === chosen);
        row.classList.toggle("d-none", !match);
        count += match ? 1 : 0;
      });
      shown.textContent = template.replace("{shown}", count).replace("{total}", rows.length);
    };
    find.classList.remove("d-none");
    search.addEventListener("input", apply);
    if (unit) {
      unit.addEventListener("change", apply);
    }
  }

  box.classList.remove("d-none");
  box.querySelector("[data-register-apply]").addEventListener("click", function () {
    var value = document.getElementById("target-all").value;
    rows.forEach(function (row) {
      var select = row.querySelector("select[data-register-target]");
      if (select && !select.disabled && visible(row)) {
        select.value = value;
      }
    });
  });
})();

// Registration page: "choose for everyone" sets every member's target at once (the form works without it).
(function () {
  var box = document.querySelector("[data-register-all]");
  if (!box) {
    return;
  }
  box.classList.remove("d-none");
  box.querySelector("[data-register-apply]").addEventListener("click", function () {
    var value = document.getElementById("target-all").value;
    document.querySelectorAll("select[data-register-target]").forEach(function (select) {
      if (!select.disabled) {
        select.value = value;
      }
    });
  });
})();

// Confirmation before irreversible actions: a form marked data-confirm="question" asks first, in the app's own
// dialog (templates/_macros/confirm.html), never the browser's: modal, focus kept inside, Esc or "Hủy" cancels,
// focus back on the button that asked. A form may name the dialog's button with data-confirm-ok; a submit button
// marked data-skip-confirm sends without asking.
(function () {
  var dialog = null;
  var pending = null; // {form, submitter, opener}

  function build() {
    // The page has the macro's dialog; a page without it (an error page) gets the same one, in Vietnamese.
    var found = document.getElementById("confirm-dialog");
    if (found) {
      return found;
    }
    var d = document.createElement("dialog");
    d.id = "confirm-dialog";
    d.className = "confirm-dialog";
    d.setAttribute("role", "dialog");
    d.setAttribute("aria-modal", "true");
    d.setAttribute("aria-labelledby", "confirm-dialog-title");
    d.setAttribute("aria-describedby", "confirm-dialog-text");
    d.innerHTML = '<h2 class="h5" id="confirm-dialog-title">Xác nhận</h2><p id="confirm-dialog-text" class="fs-5"></p>' +
      '<div class="d-flex flex-wrap justify-content-end gap-2">' +
      '<button type="button" class="btn btn-lg btn-outline-secondary" data-confirm-cancel>Hủy</button>' +
      '<button type="button" class="btn btn-lg btn-primary" data-confirm-ok data-label="Đồng ý">Đồng ý</button></div>';
    document.body.appendChild(d);
    return d;
  }

  function buttons() {
    return Array.prototype.slice.call(dialog.querySelectorAll("button"));
  }

  function close(confirmed) {
    var job = pending;
    pending = null;
    if (dialog.close && dialog.open) {
      dialog.close();
    } else {
      dialog.removeAttribute("open");
    }
    if (!job) {
      return;
    }
    if (confirmed) {
      job.form.setAttribute("data-confirmed", "1");
      if (job.form.requestSubmit) {
        job.form.requestSubmit(job.submitter || undefined);
      } else {
        job.form.submit();
      }
    } else if (job.opener && job.opener.focus) {
      job.opener.focus();
    }
  }

  function open(form, submitter) {
    dialog = dialog || init();
    pending = {form: form, submitter: submitter, opener: submitter || document.activeElement};
    dialog.querySelector("#confirm-dialog-text").textContent = form.getAttribute("data-confirm");
    var ok = dialog.querySelector("[data-confirm-ok]");
    ok.textContent = form.getAttribute("data-confirm-ok") || ok.getAttribute("data-label");
    if (dialog.showModal) {
      dialog.showModal();
    } else {
      dialog.setAttribute("open", "");
    }
    dialog.querySelector("[data-confirm-cancel]").focus();
  }

  function init() {
    var d = build();
    dialog = d;
    d.querySelector("[data-confirm-ok]").addEventListener("click", function () { close(true); });
    d.querySelector("[data-confirm-cancel]").addEventListener("click", function () { close(false); });
    d.addEventListener("cancel", function (event) { // Esc on a modal <dialog>
      event.preventDefault();
      close(false);
    });
    d.addEventListener("keydown", function (event) {
      if (event.key === "Escape") {
        event.preventDefault();
        close(false);
      } else if (event.key === "Tab") { // keep focus on the dialog's buttons
        var list = buttons();
        var index = list.indexOf(document.activeElement);
        var next = event.shiftKey ? index - 1 : index + 1;
        event.preventDefault();
        list[(next + list.length) % list.length].focus();
      }
    });
    return d;
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.getAttribute || !form.getAttribute("data-confirm")) {
      return;
    }
    if (event.submitter && event.submitter.hasAttribute("data-skip-confirm")) { // e.g. "Kiểm tra lại"
      return;
    }
    if (form.getAttribute("data-confirmed") === "1") {
      form.removeAttribute("data-confirmed");
      return;
    }
    event.preventDefault();
    open(form, event.submitter || null);
  });
})();

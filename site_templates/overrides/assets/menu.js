// The menu button on a phone: Material makes it a <label> for the drawer's checkbox, which the
// keyboard cannot reach or press. Here Enter and Space press it, aria-expanded follows the
// drawer, Escape closes it and gives focus back to the button, and opening it from the keyboard
// puts focus on its first link.
(function () {
  "use strict";
  var drawer = document.getElementById("__drawer");
  var button = document.querySelector(".kk-menu-button");
  if (!drawer || !button) return;
  var byKeyboard = false;

  function firstLink() {
    return document.querySelector(".md-sidebar--primary a[href]");
  }

  function sync() {
    button.setAttribute("aria-expanded", drawer.checked ? "true" : "false");
    if (drawer.checked && byKeyboard) {
      var link = firstLink();
      // The drawer turns visible at once; focus waits one frame for the style to apply.
      if (link) window.requestAnimationFrame(function () { link.focus(); });
    }
    byKeyboard = false;
  }

  button.addEventListener("keydown", function (event) {
    if (event.key === "Enter" || event.key === " ") {
      // Material's own handler clicks a focused label on Enter too; one press, one toggle.
      event.preventDefault();
      event.stopPropagation();
      byKeyboard = true;
      drawer.click();
    }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && drawer.checked) {
      drawer.click();
      button.focus();
    }
  });
  drawer.addEventListener("change", sync);
  sync();
})();

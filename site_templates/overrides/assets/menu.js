// The menu button on a phone. Material makes it a <label> for the drawer's checkbox, which
// works without JavaScript but which the keyboard cannot reach or press. Here a real button
// takes its place: Tab reaches it, Enter and Space press it, aria-expanded follows the drawer,
// Escape closes the drawer and gives focus back to the button, and opening it from the
// keyboard puts focus on its first link.
(function () {
  "use strict";
  var drawer = document.getElementById("__drawer");
  var label = document.querySelector(".kk-menu-label");
  var button = document.querySelector(".kk-menu-button");
  if (!drawer || !label || !button) return;
  var byKeyboard = false;
  label.hidden = true;
  button.hidden = false;

  function sync() {
    button.setAttribute("aria-expanded", drawer.checked ? "true" : "false");
    if (drawer.checked && byKeyboard) {
      var link = document.querySelector(".md-sidebar--primary a[href]");
      // The drawer turns visible at once; focus waits one frame for the style to apply.
      if (link) window.requestAnimationFrame(function () { link.focus(); });
    }
    byKeyboard = false;
  }

  button.addEventListener("click", function (event) {
    byKeyboard = event.detail === 0; // Enter or Space: a click with no pointer behind it
    drawer.click();
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

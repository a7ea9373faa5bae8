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
      var sidebar = document.querySelector(".md-sidebar--primary");
      var link = sidebar && sidebar.querySelector("a[href]");
      // The drawer slides in (0.25 s); focus waits for the slide to end, so the focused link
      // is on screen when it gets focus. Without a slide (reduced motion) the timer does it.
      if (link) {
        var done = false;
        var focus = function () {
          if (done || !drawer.checked) return;
          done = true;
          link.focus();
        };
        sidebar.addEventListener("transitionend", focus, { once: true });
        window.setTimeout(focus, 350);
      }
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

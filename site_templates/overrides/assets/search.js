// Search with Pagefind. A page load costs only this file: Pagefind's UI is fetched when the
// dialog is first opened (by the button, or the keys s, f or /), and its index once someone
// types. Everything comes from this site's own /pagefind/ folder.
(function () {
  "use strict";
  var dialog = document.querySelector("[data-kk-search]");
  var opener = document.querySelector("[data-kk-search-open]");
  if (!dialog || !opener || typeof dialog.showModal !== "function") return;
  var mount = dialog.querySelector("[data-kk-search-ui]");
  var early = dialog.querySelector("[data-kk-search-early]");
  var bundle = new URL(dialog.getAttribute("data-bundle"), window.location.href).pathname;
  var loading = null;

  opener.setAttribute("role", "button");
  opener.setAttribute("aria-haspopup", "dialog");

  function fetchScript() {
    return new Promise(function (resolve, reject) {
      var style = document.createElement("link");
      style.rel = "stylesheet";
      style.href = bundle + "pagefind-ui.css";
      document.head.appendChild(style);
      var script = document.createElement("script");
      script.src = bundle + "pagefind-ui.js";
      script.onload = resolve;
      script.onerror = reject;
      document.head.appendChild(script);
    });
  }

  function start() {
    if (loading) return loading;
    loading = fetchScript().then(function () {
      var ui = new window.PagefindUI({
        element: mount,
        bundlePath: bundle,
        showImages: false,
        showSubResults: false,
        resetStyles: false,
        excerptLength: 24,
        translations: JSON.parse(dialog.getAttribute("data-translations"))
      });
      // The UI renders its input in a moment; hand over what was typed meanwhile.
      return new Promise(function (resolve) {
        (function wait() {
          var input = mount.querySelector(".pagefind-ui__search-input");
          if (!input) return window.requestAnimationFrame(wait);
          var typed = early.value;
          var focused = document.activeElement === early;
          early.remove();
          if (typed) ui.triggerSearch(typed);
          if (focused) input.focus();
          resolve(input);
        })();
      });
    });
    return loading;
  }

  function open() {
    if (!dialog.open) dialog.showModal();
    var input = mount.querySelector(".pagefind-ui__search-input") || early;
    input.focus();
    start();
  }

  opener.addEventListener("click", function (event) {
    event.preventDefault();
    open();
  });
  dialog.querySelector("[data-kk-search-close]").addEventListener("click", function () {
    dialog.close();
  });
  // A click on the backdrop (outside the dialog's box) closes it, as Material's search does.
  dialog.addEventListener("click", function (event) {
    if (event.target === dialog) dialog.close();
  });
  document.addEventListener("keydown", function (event) {
    if (dialog.open || event.ctrlKey || event.metaKey || event.altKey) return;
    var target = event.target;
    if (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName)) return;
    if (["s", "S", "f", "F", "/"].indexOf(event.key) >= 0) {
      event.preventDefault();
      open();
    }
  });
})();

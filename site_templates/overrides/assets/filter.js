// Instant course filter on /kurser/. Without JavaScript the same links open pre-rendered
// pages (/kurser/tema/<id>/ ...); with it, they filter in place and the URL (?tema=...) keeps
// the choice, so it can be shared.
(function () {
  "use strict";
  var filter = document.querySelector(".kk-filter[data-complete]");
  if (!filter) return;
  var cards = Array.prototype.slice.call(document.querySelectorAll(".kk-cards > .kk-card"));
  var counts = document.querySelectorAll("[data-count]");
  var clearLink = filter.querySelector(".kk-filter__clear");
  var empty = document.querySelector(".kk-empty");

  function readState() {
    var params = new URLSearchParams(window.location.search);
    var state = {};
    filter.querySelectorAll("[data-facet]").forEach(function (group) {
      var facet = group.getAttribute("data-facet");
      if (params.get(facet)) state[facet] = params.get(facet);
    });
    return state;
  }

  function apply(state) {
    var shown = 0;
    cards.forEach(function (card) {
      var match = Object.keys(state).every(function (facet) {
        return (" " + (card.getAttribute("data-" + facet) || "") + " ").indexOf(" " + state[facet] + " ") >= 0;
      });
      card.hidden = !match;
      if (match) shown += 1;
    });
    counts.forEach(function (count) { count.textContent = String(shown); });
    if (clearLink) clearLink.hidden = Object.keys(state).length === 0;
    if (empty) empty.hidden = shown > 0;
    filter.querySelectorAll("[data-facet]").forEach(function (group) {
      var facet = group.getAttribute("data-facet");
      group.querySelectorAll("a[data-value]").forEach(function (link) {
        if (state[facet] === link.getAttribute("data-value")) link.setAttribute("aria-current", "true");
        else link.removeAttribute("aria-current");
      });
    });
    if (Object.keys(state).length) filter.open = true;
  }

  filter.addEventListener("click", function (event) {
    var link = event.target.closest("a[data-value]");
    var clear = event.target.closest(".kk-filter__clear");
    if (!link && !clear) return;
    event.preventDefault();
    var state = clear ? {} : readState();
    if (link) {
      var facet = link.closest("[data-facet]").getAttribute("data-facet");
      var value = link.getAttribute("data-value");
      if (state[facet] === value) delete state[facet];
      else state[facet] = value;
    }
    var query = new URLSearchParams(state).toString();
    window.history.pushState(state, "", query ? "?" + query : window.location.pathname);
    apply(state);
  });

  window.addEventListener("popstate", function () { apply(readState()); });
  apply(readState());
})();

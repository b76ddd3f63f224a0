/* Dossier search: Pagefind's own UI, served from this site (no third-party requests).
   The query from the header form (?q=...) is searched at once. */
window.addEventListener("DOMContentLoaded", function () {
  var el = document.getElementById("search");
  if (!el || typeof PagefindUI === "undefined") return;
  var ui = new PagefindUI({
    element: "#search",
    bundlePath: el.dataset.bundle,
    showSubResults: true,
    showImages: false,
    resetStyles: false
  });
  var q = new URLSearchParams(window.location.search).get("q");
  if (q) ui.triggerSearch(q);
});

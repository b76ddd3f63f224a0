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
  // Pagefind's input has only a placeholder; give it a real accessible name.
  var input = el.querySelector(".pagefind-ui__search-input");
  if (input) input.setAttribute("aria-label", el.dataset.label || "Search the briefings");
  var q = new URLSearchParams(window.location.search).get("q");
  if (q) ui.triggerSearch(q);
  // Keep the query in the address, so a reload (the preview's, after its index changes)
  // or a shared link searches again.
  el.addEventListener("input", function (event) {
    if (!event.target.classList.contains("pagefind-ui__search-input")) return;
    var url = new URL(window.location.href);
    if (event.target.value) url.searchParams.set("q", event.target.value);
    else url.searchParams.delete("q");
    history.replaceState(null, "", url);
  });
});

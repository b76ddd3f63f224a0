/* Dossier preview client: loads livereload.js and shows build errors over the page.
 * livereload.js accepts only 'reload' and 'alert' commands, so a failed build is
 * announced as a reload of the pseudo-path "__dossier__/status", which the plugin
 * below intercepts and answers by fetching the problems from the server. */
(function () {
  "use strict";
  var STATUS = "/__dossier/status";
  var OVERLAY_ID = "dossier-overlay";

  function clearOverlay() {
    var old = document.getElementById(OVERLAY_ID);
    if (old) { old.parentNode.removeChild(old); }
  }

  function showOverlay(problems) {
    clearOverlay();
    var box = document.createElement("div");
    box.id = OVERLAY_ID;
    box.setAttribute("role", "alert");
    box.style.cssText = "position:fixed;inset:0;z-index:2147483647;overflow:auto;" +
      "background:#1c0505;color:#fff;font:14px/1.5 ui-monospace,monospace;padding:2rem;";
    var h = document.createElement("h2");
    h.textContent = "Build failed: the last good version is still being served";
    h.style.cssText = "margin:0 0 1rem;font:bold 18px/1.3 sans-serif;color:#fbb;";
    var pre = document.createElement("pre");
    pre.style.cssText = "white-space:pre-wrap;margin:0;";
    pre.textContent = problems.join("\n");
    var p = document.createElement("p");
    p.textContent = "Fix the file and save: this page reloads by itself.";
    p.style.cssText = "font:14px sans-serif;color:#ddd;";
    box.appendChild(h);
    box.appendChild(pre);
    box.appendChild(p);
    document.body.appendChild(box);
  }

  function checkStatus() {
    return fetch(STATUS, { cache: "no-store" })
      .then(function (r) { return r.json(); })
      .then(function (s) {
        window.__dossierGeneration = s.generation;
        if (s.ok) { clearOverlay(); } else { showOverlay(s.problems); }
      })
      .catch(function () {});
  }

  function DossierPlugin(win, host) { this.window = win; this.host = host; }
  DossierPlugin.identifier = "dossier";
  DossierPlugin.version = "1.0";
  DossierPlugin.prototype.reload = function (path) {
    if (path === "__dossier__/status") { checkStatus(); return true; }
    if (path === "__dossier__/search") {  // a new search index: only the search page reloads
      if (document.getElementById("search")) { window.location.reload(); }
      return true;
    }
    if (document.getElementById(OVERLAY_ID)) { window.location.reload(); return true; }
    return false;
  };
  DossierPlugin.prototype.analyze = function () { return {}; };
  window.LiveReloadPluginDossier = DossierPlugin;

  document.addEventListener("LiveReloadConnect", function () {
    window.__dossierConnected = true;
    checkStatus();
  });
  document.addEventListener("LiveReloadDisconnect", function () {
    window.__dossierConnected = false;
  });

  var port = location.port || (location.protocol === "https:" ? "443" : "80");
  var s = document.createElement("script");
  s.src = "/livereload.js?port=" + port + "&mindelay=250&maxdelay=2000";
  document.head.appendChild(s);
})();

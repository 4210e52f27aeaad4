// Makes spinewise installable and lets it open without a network: registers the service
// worker (static/sw.js), which keeps only the app's own static files and an offline page.
"use strict";
if ("serviceWorker" in navigator) {
  window.addEventListener("load", () => {
    navigator.serviceWorker.register("/sw.js").catch(() => {
      // Without it, spinewise works as before; nothing to tell the person.
    });
  });
}

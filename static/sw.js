// The service worker: keeps the app's own static files and an offline page, so that spinewise
// opens without a network and says so. It never stores a page or an API answer: those may hold
// health data, are sent with "Cache-Control: no-store", and always come from the network.
"use strict";

const CACHE = "spinewise-static-v1";
const OFFLINE = "/offline";
const FILES = [
  OFFLINE,
  "/static/style.css",
  "/static/icon.svg",
  "/static/icon-192.png",
  "/static/icon-512.png",
  "/static/app.js",
];

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(CACHE).then((cache) => cache.addAll(FILES)).then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (FILES.includes(url.pathname) && url.pathname !== OFFLINE) {
    // The app's own static files: from the cache, else the network.
    event.respondWith(caches.match(request).then((hit) => hit || fetch(request)));
  } else if (request.mode === "navigate") {
    // A page: always the network; without one, the offline page (never a stored page).
    event.respondWith(fetch(request).catch(() => caches.match(OFFLINE)));
  }
});

// provim — the exam day's service worker (Neni 52). It keeps on the device
// the last copy of each room page it opened, so that an AP or PAP whose
// connection drops can reopen the room page (a reload, a tab the phone
// closed) and go on checking in: the check-ins wait in the page's queue and
// are sent, each once, when the connection returns. Its scope is the exam
// day only (/dita-e-provimit/); forms always go to the server.
"use strict";

var CACHE = "provim-examday-v1";
// A kept page is offered for the exam day only: half a day at most.
var MAX_AGE = 12 * 60 * 60 * 1000;
var ASSETS = ["/static/app.css", "/static/examday.js"];

self.addEventListener("install", function (ev) {
  ev.waitUntil(caches.open(CACHE).then(function (c) { return c.addAll(ASSETS); }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (ev) {
  ev.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (n) { return n.indexOf("provim-examday-") === 0 && n !== CACHE; }).map(function (n) { return caches.delete(n); }));
  }).then(function () { return self.clients.claim(); }));
});

// keep stores a page the server marked as one to keep (Provim-Offline),
// with the moment it was kept.
var keep = function (req, res) {
  return res.clone().text().then(function (body) {
    var h = new Headers(res.headers);
    h.set("Provim-Kept-At", String(Date.now()));
    return caches.open(CACHE).then(function (c) {
      return c.put(req, new Response(body, { status: res.status, statusText: res.statusText, headers: h }));
    });
  });
};

var fresh = function (res) {
  var at = parseInt(res.headers.get("Provim-Kept-At") || "0", 10);
  return Date.now() - at < MAX_AGE;
};

var esc = function (s) {
  return s.replace(/[&<>"']/g, function (ch) { return "&#" + ch.charCodeAt(0) + ";"; });
};

// offline is the page shown for an exam-day page the device did not keep:
// it says so in Albanian and links the room pages it did keep.
var offline = function () {
  return caches.open(CACHE).then(function (c) {
    return c.keys().then(function (reqs) {
      return Promise.all(reqs.map(function (r) { return c.match(r).then(function (res) { return { url: r.url, res: res }; }); }));
    });
  }).then(function (kept) {
    var items = kept.filter(function (k) { return k.res && k.res.headers.get("Provim-Offline") && fresh(k.res); }).map(function (k) {
      var u = new URL(k.url);
      var p = u.pathname.split("/").map(function (s) { try { return decodeURIComponent(s); } catch (e) { return s; } });
      // /dita-e-provimit/{qendra}/{provimi}/salla/{salla}
      var name = p.length >= 6 && p[4] === "salla" ? "Salla «" + p[5] + "» — " + p[3] + ", " + p[2] : u.pathname;
      return '<li><a href="' + esc(u.pathname + u.search) + '">' + esc(name) + "</a></li>";
    });
    var html = '<!doctype html><html lang="sq"><head><meta charset="utf-8">' +
      '<meta name="viewport" content="width=device-width, initial-scale=1">' +
      '<title>Pa lidhje — provim</title><link rel="stylesheet" href="/static/app.css"></head><body>' +
      '<main id="main"><h1>Pa lidhje me serverin</h1>' +
      "<p>Kjo faqe nuk është ruajtur në këtë pajisje. Hyrjet që keni regjistruar ruhen në pajisje dhe dërgohen kur të kthehet lidhja.</p>" +
      (items.length ? "<h2>Faqet e sallave të ruajtura në këtë pajisje</h2><ul id=\"offline-kept\">" + items.join("") + "</ul>"
        : "<p>Asnjë faqe salle nuk është ruajtur ende në këtë pajisje.</p>") +
      "</main></body></html>";
    return new Response(html, { status: 503, headers: { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" } });
  });
};

// served gives a kept room page back, marked with the moment it was kept
// (the page shows it is the device's copy and keeps the server's clock).
var served = function (hit) {
  var at = hit.headers.get("Provim-Kept-At") || "0";
  return hit.text().then(function (body) {
    return new Response(body.replace('id="checkin-form"', 'id="checkin-form" data-kept-at="' + at + '"'),
      { status: 200, headers: { "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store" } });
  });
};

// A network that does not answer is, for the room, a network that is down.
var WAIT = 8000;
var network = function (req) {
  return new Promise(function (resolve, reject) {
    var t = setTimeout(function () { reject(new Error("timeout")); }, WAIT);
    fetch(req).then(function (res) { clearTimeout(t); resolve(res); }, function (err) { clearTimeout(t); reject(err); });
  });
};

self.addEventListener("fetch", function (ev) {
  var req = ev.request;
  if (req.method !== "GET") { return; }
  var url = new URL(req.url);
  if (url.origin !== self.location.origin) { return; }
  var asset = ASSETS.indexOf(url.pathname) >= 0;
  if (!asset && url.pathname.indexOf("/dita-e-provimit/") !== 0) { return; }
  ev.respondWith(network(req).then(function (res) {
    if (asset) {
      if (res.ok) { var copy = res.clone(); caches.open(CACHE).then(function (c) { return c.put(req, copy); }); }
      return res;
    }
    if (res.ok && res.headers.get("Provim-Offline")) {
      return keep(req, res).then(function () { return res; }, function () { return res; });
    }
    // Signed out, refused or gone: the device forgets its copy.
    if (res.type === "opaqueredirect" || res.redirected || res.status === 401 || res.status === 403 || res.status === 404) {
      return caches.open(CACHE).then(function (c) { return c.delete(req); }).then(function () { return res; });
    }
    return res;
  }, function () {
    // Only the browser's own loads get a kept page; the page's refresh
    // learns that the network is down.
    if (!asset && req.mode !== "navigate") { return Response.error(); }
    return caches.open(CACHE).then(function (c) { return c.match(req); }).then(function (hit) {
      if (hit && asset) { return hit; }
      if (hit && fresh(hit)) { return served(hit); }
      if (req.mode === "navigate") { return offline(); }
      return Response.error();
    });
  }));
});

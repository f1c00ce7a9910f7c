// provim — the exam day (Neni 52): the room page's offline queue of
// check-ins and the board's live refresh. Progressive: without this file
// every form posts and every page reloads as usual.
(function () {
  "use strict";

  // ---- The room's check-ins, queued on the device -------------------
  var form = document.getElementById("checkin-form");
  if (form) {
    var store = "provim-checkins:" + form.getAttribute("action");
    var countEl = document.getElementById("queue-count");
    var statusEl = document.getElementById("queue-status");
    var listEl = document.getElementById("queue-list");
    var sending = false;
    // Arrivals are stamped on the server's clock as the page gave it, moved
    // on by the time passed here: the device's own clock may be wrong. A
    // copy the device kept (examday-sw.js, opened without a connection)
    // says when it was kept, on the device's clock.
    var offlineEl = document.getElementById("offline-copy");
    var serverNow = Date.parse(form.getAttribute("data-now") || "");
    var keptAt = parseInt(form.getAttribute("data-kept-at") || "", 10);
    var offset = isNaN(serverNow) ? 0 : serverNow - (isNaN(keptAt) ? Date.now() : keptAt);
    var stamp = function () {
      return new Date(Date.now() + offset).toISOString().replace(/\.\d{3}Z$/, "Z");
    };
    if (!isNaN(keptAt) && offlineEl) {
      var hm = isNaN(serverNow) ? "" : new Date(serverNow).toLocaleTimeString("sq-AL", { timeZone: "Europe/Tirane", hour: "2-digit", minute: "2-digit", hour12: false });
      offlineEl.textContent = "Pa lidhje: kjo është faqja e ruajtur në këtë pajisje" + (hm ? " në orën " + hm : "") +
        ". Hyrjet ruhen këtu dhe dërgohen kur të kthehet lidhja; lista rifreskohet atëherë.";
      offlineEl.hidden = false;
    }

    var load = function () {
      try { return JSON.parse(localStorage.getItem(store) || "[]"); } catch (e) { return []; }
    };
    var save = function (q) { localStorage.setItem(store, JSON.stringify(q)); show(q); };
    var say = function (msg) { statusEl.hidden = !msg; statusEl.textContent = msg || ""; };
    var key = function () {
      if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
      return Date.now().toString(36) + Math.random().toString(36).slice(2);
    };
    var show = function (q) {
      countEl.textContent = String(q.length);
      listEl.hidden = q.length === 0;
      listEl.textContent = "";
      q.forEach(function (it) {
        var li = document.createElement("li");
        li.textContent = (it.label || it.nr || it.emri) + " — në pritje, do të dërgohet kur të kthehet lidhja";
        listEl.appendChild(li);
      });
      // A queued candidate is no longer offered in the list.
      Array.prototype.forEach.call(form.querySelectorAll("#nr option"), function (o) {
        o.hidden = !!o.value && q.some(function (it) { return it.nr === o.value; });
      });
    };

    var post = function (url, fields) {
      var body = new URLSearchParams();
      body.set("csrf", form.querySelector("[name=csrf]").value);
      Object.keys(fields).forEach(function (k) { body.set(k, fields[k]); });
      return fetch(url, { method: "POST", body: body, credentials: "same-origin", redirect: "manual" });
    };

    // flush sends the queue in order, each check-in with its own key: the
    // server answers a key it saw before with its first answer, so a
    // check-in sent twice (a lost answer, a reload) is recorded once.
    var flush = function () {
      if (sending) { return; }
      var q = load();
      if (q.length === 0) { heartbeat(); return; }
      sending = true;
      var it = q[0];
      var fields = { key: it.key, nr: it.nr, emri: it.emri, dokumenti: it.dokumenti, nr_dokumentit: it.nr_dokumentit, mberritja: it.mberritja };
      post(form.getAttribute("action"), fields).then(function (res) {
        sending = false;
        if (res.type === "opaqueredirect" || res.ok || (res.status >= 400 && res.status < 500 && res.status !== 403 && res.status !== 429)) {
          var rest = load().filter(function (x) { return x.key !== it.key; });
          save(rest);
          if (res.status >= 400) { say("Një hyrje u refuzua nga serveri: shihni mesazhin pas rifreskimit."); }
          if (rest.length > 0) { flush(); } else { refresh(); }
          return;
        }
        if (res.status === 403) { say("Sesioni ka skaduar: hyni përsëri; hyrjet mbeten në pajisje."); return; }
        say("Serveri nuk u përgjigj: hyrjet mbeten në pajisje dhe dërgohen sërish.");
      }).catch(function () {
        sending = false;
        say("Pa lidhje: hyrjet ruhen në pajisje dhe dërgohen kur të kthehet lidhja.");
      });
    };

    // heartbeat tells the PAP how many check-ins this device still holds.
    var heartbeat = function () {
      var url = form.getAttribute("data-sync");
      if (!url || !navigator.onLine) { return; }
      post(url, { ne_pritje: String(load().length) }).catch(function () {});
    };

    // refresh replaces the room's list with the server's, once all is sent
    // (quiet: without a word, when the page was just kept for offline use).
    var refresh = function (quiet) {
      var asked = Date.now();
      fetch(location.href, { credentials: "same-origin" }).then(function (r) {
        if (!r.ok) { throw new Error(String(r.status)); }
        return r.text();
      }).then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        ["room-list", "room-present", "nr", "desk-nr", "leave-nr"].forEach(function (id) {
          var now = document.getElementById(id), fresh = doc.getElementById(id);
          if (!now || !fresh) { return; }
          // A choice being made on the device stays made.
          var chosen = now.tagName === "SELECT" ? now.value : null;
          now.innerHTML = fresh.innerHTML;
          if (chosen !== null) { now.value = chosen; if (now.value !== chosen) { now.value = ""; } }
        });
        var f = doc.getElementById("checkin-form"), t = Date.parse(f ? f.getAttribute("data-now") || "" : "");
        if (!isNaN(t)) { offset = t - asked; }
        if (offlineEl) { offlineEl.hidden = true; }
        var flash = doc.querySelector(".flash");
        if (!quiet) { say(flash ? flash.textContent : "Të gjitha hyrjet u dërguan."); }
        show(load());
      }).catch(function () {});
    };

    // The device keeps the room page for a dropped connection: the first
    // time, the page is fetched again once the worker has taken it over.
    if (navigator.serviceWorker && window.isSecureContext) {
      if (!navigator.serviceWorker.controller) {
        navigator.serviceWorker.addEventListener("controllerchange", function () { refresh(true); }, { once: true });
      }
      navigator.serviceWorker.register("/static/examday-sw.js", { scope: "/dita-e-provimit/" }).catch(function () {});
    }

    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var sel = form.querySelector("#nr");
      var it = {
        key: key(),
        nr: sel.value,
        label: sel.value ? sel.options[sel.selectedIndex].text : "",
        emri: form.querySelector("#emri").value,
        dokumenti: form.querySelector("#dokumenti").value,
        nr_dokumentit: form.querySelector("#nr_dokumentit").value,
        mberritja: stamp()
      };
      var q = load();
      q.push(it);
      save(q);
      form.querySelector("#emri").value = "";
      form.querySelector("#nr_dokumentit").value = "";
      sel.value = "";
      flush();
    });

    window.addEventListener("online", flush);
    setInterval(flush, 4000);
    show(load());
    flush();
  }

  // ---- The board, refreshed without reload --------------------------
  var board = document.getElementById("examday-board");
  if (board) {
    var url = board.getAttribute("data-poll");
    var text = function (tag, s, cls) {
      var el = document.createElement(tag);
      if (cls) { el.className = cls; }
      el.textContent = s;
      return el;
    };
    var cell = function (tr, label, nodes) {
      var td = document.createElement("td");
      td.setAttribute("data-label", label);
      nodes.forEach(function (n) { td.appendChild(typeof n === "string" ? document.createTextNode(n) : n); });
      tr.appendChild(td);
    };
    var draw = function (b) {
      var tbody = board.querySelector("tbody");
      var link = {};
      Array.prototype.forEach.call(tbody.querySelectorAll("tr[data-venue] a"), function (a) { link[a.closest("tr").getAttribute("data-venue")] = a.getAttribute("href"); });
      tbody.textContent = "";
      b.venues.forEach(function (v) {
        var tr = document.createElement("tr");
        tr.setAttribute("data-venue", v.venue_code);
        cell(tr, "DAR/ZA", [v.unit_code]);
        var a = text("a", v.venue_name);
        a.href = link[v.venue_code] || "#";
        cell(tr, "Qendra", [a, " ", text("span", "(" + v.venue_code + ", " + v.city + ")", "muted")]);
        cell(tr, "Të pranishëm", [v.present + " / " + v.expected + (v.late ? " (" + v.late + " me vonesë)" : "")]);
        cell(tr, "Mungues", [String(v.absent)]);
        cell(tr, "Sallat", [v.rooms_checking_in + " / " + v.rooms].concat(v.rooms_behind ? [" ", text("span", v.rooms_behind + " pas", "badge status-failing")] : []));
        cell(tr, "Ngjarje / përjashtime", [v.incidents + " / " + v.exclusions]);
        cell(tr, "Etiketat", [String(v.labelled)]);
        var packing = [];
        if (v.packed) {
          packing = [document.createElement("br"), v.balanced ? text("span", "Numërimi përputhet", "badge status-confirmed")
            : v.explained ? text("span", "Nuk përputhet — e sqaruar", "badge status-draft")
            : text("span", "Numërimi nuk përputhet", "badge status-failing")];
        }
        cell(tr, "Paketa", [v.package_holder].concat(packing));
        cell(tr, "Sinjalizime", v.flags.length ? v.flags.map(function (f) { return text("div", f, "muted"); }) : [text("span", "Në rregull", "badge status-confirmed")]);
        tbody.appendChild(tr);
      });
      Array.prototype.forEach.call(document.querySelectorAll("#board-total [data-k]"), function (el) {
        el.textContent = String(b.total[el.getAttribute("data-k")]);
      });
      var now = document.getElementById("board-now");
      if (now) { now.textContent = b.now; }
    };
    setInterval(function () {
      fetch(url, { credentials: "same-origin" }).then(function (r) { return r.ok ? r.json() : null; }).then(function (b) { if (b) { draw(b); } }).catch(function () {});
    }, 5000);
  }
})();

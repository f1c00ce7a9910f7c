// provim — the sign-in page. A device may be shared: whoever signs in (or
// was just signed out) does not find the room pages the exam day's service
// worker kept for the one before (examday-sw.js). Check-ins not yet sent
// stay in the device's queue until their room page sends them.
(function () {
  "use strict";
  if (window.caches && caches.delete) { caches.delete("provim-examday-v1").catch(function () {}); }
})();

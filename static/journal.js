// Fills the journal forms' date and time with the device's own clock (the server does not
// know the person's time zone). Only when the server's default is still untouched; the forms
// work without it.
(function () {
  "use strict";
  var pad = function (n) { return (n < 10 ? "0" : "") + n; };
  var now = new Date();
  var today = now.getFullYear() + "-" + pad(now.getMonth() + 1) + "-" + pad(now.getDate());
  var at = document.querySelector("input[data-default-now]");
  if (at && !document.querySelector(".error")) {
    at.value = today + "T" + pad(now.getHours()) + ":" + pad(now.getMinutes());
  }
  var date = document.querySelector("input[data-default-today]");
  if (date && !document.querySelector(".error") && !new URLSearchParams(location.search).has("date")) {
    date.value = today;
  }
})();

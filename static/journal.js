// The server knows only UTC; a person's "today" and "now" are their device's. This fills the
// journal forms' date and time from the device's clock, and asks the overview, the exercise
// program and the day's check-in for the device's date when it differs from the server's.
// Everything works without it, with the server's dates.
(function () {
  "use strict";
  var pad = function (n) { return (n < 10 ? "0" : "") + n; };
  var now = new Date();
  var today = now.getFullYear() + "-" + pad(now.getMonth() + 1) + "-" + pad(now.getDate());
  var params = new URLSearchParams(location.search);
  var failed = document.querySelector(".error") !== null;

  // The overview: its next-morning question and chart depend on the date.
  var heading = document.querySelector("h1[data-today]");
  if (heading && heading.getAttribute("data-today") !== today && !params.has("today")) {
    params.set("today", today);
    location.replace(location.pathname + "?" + params.toString());
    return;
  }

  // Forms that carry the device's date along.
  document.querySelectorAll("input[data-today-field]").forEach(function (field) {
    field.value = today;
  });

  var at = document.querySelector("input[data-default-now]");
  if (at && !failed) {
    at.value = today + "T" + pad(now.getHours()) + ":" + pad(now.getMinutes());
  }
  // The day's check-in shows what that day already has: ask for the device's day.
  var date = document.querySelector("input[data-default-today]");
  if (date && !failed && !params.has("date") && date.value !== today) {
    location.replace(location.pathname + "?date=" + today);
  }
})();

// One-click edit (broadsheet/stories/editlink.py): only in a browser that signed in to the
// admin (the admin sets the "broadsheet-editor" flag in localStorage), ask the live app whether
// this user may edit this page, and show the link it answers with. Anonymous readers: nothing.
(function () {
  "use strict";
  var script = document.currentScript;
  var flag;
  try {
    flag = window.localStorage.getItem("broadsheet-editor");
  } catch (e) {
    return;
  }
  if (flag !== "1" || !script || !window.fetch) return;
  var endpoint = script.getAttribute("data-endpoint");
  var url = endpoint + "?path=" + encodeURIComponent(window.location.pathname);
  fetch(url, { credentials: "include", cache: "no-store" })
    .then(function (response) {
      return response.status === 200 ? response.json() : null;
    })
    .then(function (answer) {
      if (!answer || typeof answer.url !== "string" || answer.url.charAt(0) !== "/") return;
      var base = new URL(endpoint, window.location.href);
      var link = document.createElement("a");
      link.href = new URL(answer.url, base).href;
      link.textContent = answer.label || "Edit this page";
      link.className = "edit-link";
      var main = document.getElementById("content") || document.body;
      main.insertBefore(link, main.firstChild);
    })
    .catch(function () {});
})();

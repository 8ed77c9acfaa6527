// Loaded on every admin page: this browser belongs to a signed-in editor, so the reader pages'
// edit-link.js may ask whether to show "Edit this story". Signing out clears the flag.
(function () {
  "use strict";
  try {
    window.localStorage.setItem("broadsheet-editor", "1");
  } catch (e) {
    return;
  }
  document.addEventListener("submit", function (event) {
    var action = (event.target && event.target.getAttribute("action")) || "";
    if (action.indexOf("logout") !== -1) {
      try {
        window.localStorage.removeItem("broadsheet-editor");
      } catch (e) {}
    }
  }, true);
})();

// Reader forms in one press (broadsheet/discussion/formtoken.py). A baked form carries the
// page's stable token, which the app answers with a "check and send" page. When the reader
// first sees the form (on screen) or first touches it, ask the live app for a fresh, one-use
// token and put it into the form, so the time to fill is measured from then and one press
// sends. Without this script the form still works (with the check page).
(function () {
  "use strict";
  if (!window.fetch || !document.querySelectorAll) return;

  function arm(form) {
    var input = form.querySelector('input[name="form_token"]');
    var url = form.getAttribute("data-token-url");
    if (!input || !url) return;
    var fetchedAt = 0; // Date.now() when the token in the form was issued; 0: none yet
    var minFill = 3000; // ms; the app's MIN_FILL_SECONDS, from its answer
    var fresh = 7200000; // ms; the app's FRESH_SECONDS, from its answer
    var pending = null;
    var sending = false;

    function getToken() {
      if (pending) return pending;
      pending = fetch(url, { credentials: "omit", cache: "no-store" })
        .then(function (response) {
          return response.ok ? response.json() : null;
        })
        .then(function (answer) {
          if (answer && typeof answer.token === "string") {
            input.value = answer.token;
            fetchedAt = Date.now();
            if (typeof answer.min_fill === "number") minFill = answer.min_fill * 1000;
            if (typeof answer.fresh === "number") fresh = answer.fresh * 1000;
          }
        })
        .catch(function () {}) // no token: the form posts the stable one (check page)
        .then(function () {
          pending = null;
        });
      return pending;
    }

    function firstSeen() {
      if (!fetchedAt) getToken();
    }

    if (window.IntersectionObserver) {
      var observer = new IntersectionObserver(function (entries) {
        for (var i = 0; i < entries.length; i++) {
          if (entries[i].isIntersecting) {
            observer.disconnect();
            firstSeen();
            return;
          }
        }
      });
      observer.observe(form);
    }
    form.addEventListener("focusin", firstSeen);

    form.addEventListener("submit", function (event) {
      if (sending) {
        event.preventDefault(); // a second press while the first is on its way
        return;
      }
      var age = Date.now() - fetchedAt;
      if (fetchedAt && !pending && age < fresh - 600000) {
        sending = true;
        if (age >= minFill + 250) return; // the usual case: the fresh token goes with this press
        // A quick typist (or autofill, or a paste) pressed Send sooner than the app's minimum
        // time after the form was first shown: hold this one press until then, and send.
        event.preventDefault();
        window.setTimeout(function () {
          form.submit();
        }, minFill + 250 - age);
        return;
      }
      // No token yet (still on its way, or the page was asleep for hours): get one, wait
      // until it is old enough, then send.
      event.preventDefault();
      sending = true;
      var ready = fetchedAt && age >= fresh - 600000 ? ((fetchedAt = 0), getToken()) : getToken();
      ready.then(function () {
        var wait = fetchedAt ? Math.max(0, fetchedAt + minFill + 250 - Date.now()) : 0;
        window.setTimeout(function () {
          form.submit();
        }, wait);
      });
    });

    // Back to this page from the next one (back/forward cache): its token was used.
    window.addEventListener("pageshow", function (event) {
      if (event.persisted) {
        sending = false;
        fetchedAt = 0;
        getToken();
      }
    });
  }

  var forms = document.querySelectorAll("form[data-token-url]");
  for (var i = 0; i < forms.length; i++) {
    if (forms[i].getAttribute("data-armed") !== "1") {
      forms[i].setAttribute("data-armed", "1");
      arm(forms[i]);
    }
  }
})();

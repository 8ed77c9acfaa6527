/* Broadsheet static search: answers /search/?q=… from the Pagefind index when no server did.
 *
 * The live /search/ page is rendered with data-search-live="yes" and already lists results;
 * the baked copy of the page (a mirror, a frozen archive, `python -m http.server`) has
 * data-search-live="no", so this script loads pagefind.js from the same origin
 * (data-pagefind-bundle: the page's edition's index, "/pagefind/" or "/fa/pagefind/") and lists
 * what it finds. No other origin, no inline script. Excerpts show the text as written: the
 * index matches folded words, and each record carries its written words (meta.text, word for
 * word the folded text), so the excerpt is built here from the written words at the positions
 * Pagefind matched (a record without them: Pagefind's excerpt, rebuilt from text nodes keeping
 * only <mark>). Its messages come from the page (data-msg-*, in the edition's language), and
 * the query's letters are folded with the index's own table (data-search-fold).
 *
 * In a relative folder (`bake --relative`, `freeze`) every URL is read from the page's data
 * attributes, relative to the page: data-pagefind-bundle, data-site-root (result links are
 * resolved against it, and end in index.html there). Opened from file://, where browsers refuse
 * Pagefind's ES module and its fetches, the page loads data-fallback-index, a classic script
 * holding every story's text, and searches it here. A frozen archive's search box is no form
 * (data-search-box): this script opens ?q=… on the same page.
 */
(function () {
  "use strict";
  var form = document.querySelector("[data-search-box]");
  if (form) {
    var field = form.querySelector("input");
    var go = function () {
      var q = field.value.trim();
      if (q) window.location.search = "?q=" + encodeURIComponent(q);
    };
    form.querySelector("button").addEventListener("click", go);
    field.addEventListener("keydown", function (e) { if (e.key === "Enter") go(); });
  }
  var box = document.querySelector("[data-search-results]");
  if (!box || box.getAttribute("data-search-live") === "yes") return;
  var rootAttr = box.getAttribute("data-site-root") || "/";
  // The index holds each story's URL within its edition ("/farhang/x/" for "/fa/farhang/x/");
  // Pagefind puts the edition's root path before it (a URL path, not a link: a relative copy
  // keeps it as is, and resultURL() below places the result in the copy).
  var searchBase = box.getAttribute("data-search-base") || "/";
  var relative = rootAttr.charAt(0) !== "/";
  var siteRoot = new URL(rootAttr, document.baseURI);
  // a result's URL (root-relative in the index) on this copy of the site
  function resultURL(url) {
    if (!relative) return url;
    var path = url.replace(/^\//, "");
    if (path === "" || path.slice(-1) === "/") path += "index.html";
    return new URL(path, siteRoot).href;
  }
  var params = new URLSearchParams(window.location.search);
  var query = (params.get("q") || "").trim().slice(0, 800);
  if (!query) return;
  var input = document.getElementById("search-q");
  if (input) input.value = query;
  var PAGE = 10;

  // The index was built with its letters folded (broadsheet/content/searchtext.py,
  // fold_letters: ي→ی, ك→ک, harakat and joiners removed, ۱۴۰۳/١٤٠٣→1403); the page carries
  // the same table, so the query is folded the same way.
  var folds = {};
  try { folds = JSON.parse(box.getAttribute("data-search-fold") || "{}"); } catch (e) { folds = {}; }
  function fold(s) {
    var out = "";
    for (var i = 0; i < s.length; i++) {
      var ch = s.charAt(i);
      out += Object.prototype.hasOwnProperty.call(folds, ch) ? folds[ch] : ch;
    }
    return out;
  }
  var persianDigits = box.getAttribute("data-search-digits") === "persian";
  function num(n) {
    var text = String(n);
    return persianDigits ? text.replace(/[0-9]/g, function (d) {
      return String.fromCharCode(0x06f0 + Number(d));
    }) : text;
  }
  function msg(name, fallback, values) {
    var text = box.getAttribute("data-msg-" + name) || fallback;
    Object.keys(values || {}).forEach(function (k) { text = text.split("{" + k + "}").join(values[k]); });
    return text;
  }

  function el(name, cls, text) {
    var node = document.createElement(name);
    if (cls) node.className = cls;
    if (text) node.textContent = text;
    return node;
  }
  function excerpt(html) {
    var doc = new DOMParser().parseFromString("<p>" + html + "</p>", "text/html");
    var out = el("p", "search-snippet");
    out.dir = "auto";
    doc.body.firstChild.childNodes.forEach(function (n) {
      if (n.nodeType === 3) out.appendChild(document.createTextNode(n.nodeValue));
      else if (n.nodeName === "MARK") out.appendChild(el("mark", "", n.textContent));
      else out.appendChild(document.createTextNode(n.textContent || ""));
    });
    return out;
  }
  // white space as the index splits words (searchtext.folded_words)
  var SPACE = /[\s\ufeff]+/;
  var EXCERPT_WORDS = 30;
  // The first word of the excerpt: the window of EXCERPT_WORDS words holding the most matched
  // positions, started a third of a window before its first match (as Pagefind does).
  function excerptStart(locations, total) {
    if (!locations.length || total <= EXCERPT_WORDS) return 0;
    var best = locations[0], most = 0;
    locations.forEach(function (first) {
      var n = locations.filter(function (l) { return l >= first && l < first + EXCERPT_WORDS; }).length;
      if (n > most) { most = n; best = first; }
    });
    var start = best - Math.floor(EXCERPT_WORDS / 3);
    return Math.max(0, Math.min(start, total - EXCERPT_WORDS));
  }
  // An excerpt of `text` (written words) with the words at `marked` positions in <mark>.
  function writtenExcerpt(text, marked) {
    var words = text.split(SPACE);
    var isMarked = {};
    marked.forEach(function (l) { isMarked[l] = true; });
    var start = excerptStart(marked.slice().sort(function (a, b) { return a - b; }), words.length);
    var stop = Math.min(words.length, start + EXCERPT_WORDS);
    var out = el("p", "search-snippet");
    out.dir = "auto";
    var plain = start > 0 ? "\u2026 " : "";
    for (var i = start; i < stop; i++) {
      if (i > start) plain += " ";
      if (isMarked[i]) {
        if (plain) out.appendChild(document.createTextNode(plain));
        plain = "";
        out.appendChild(el("mark", "", words[i]));
      } else {
        plain += words[i];
      }
    }
    if (stop < words.length) plain += " \u2026";
    if (plain) out.appendChild(document.createTextNode(plain));
    return out;
  }
  function hitExcerpt(d) {
    if (d.meta && d.meta.text) return writtenExcerpt(d.meta.text, d.locations || []);
    return excerpt(d.excerpt || "");
  }
  function say(text) {
    box.textContent = "";
    box.appendChild(el("p", "search-summary", text));
  }

  function show(results) {
    say(results.length
      ? msg(results.length === 1 ? "found-one" : "found",
        "{count} stories found (searching the archive copy of this site)",
        { count: num(results.length) })
      : msg("none", "No stories found for \u201c{query}\u201d.", { query: query }));
    if (!results.length) return;
    var list = el("ol", "search-hits");
    box.appendChild(list);
    var shown = 0;
    var more = el("button", "search-more", msg("more", "More results"));
    more.type = "button";
    function next() {
      var batch = results.slice(shown, shown + PAGE);
      shown += batch.length;
      Promise.all(batch.map(function (r) { return r.data(); })).then(function (items) {
        items.forEach(function (d) {
          var li = el("li", "search-hit");
          var card = el("article", "card");
          var h = el("h2", "card-headline");
          h.dir = "auto";
          var a = el("a", "", (d.meta && d.meta.title) || d.url);
          a.href = resultURL(d.url);
          h.appendChild(a);
          card.appendChild(h);
          card.appendChild(hitExcerpt(d));
          li.appendChild(card);
          list.appendChild(li);
        });
        if (shown >= results.length && more.parentNode) more.remove();
      });
    }
    more.addEventListener("click", next);
    if (results.length > PAGE) box.appendChild(more);
    next();
  }

  // -- file://: the plain-script records (no module, no fetch) --------------------------------
  // A word as matched: lower case, letters folded, curly apostrophes straight, and the
  // punctuation at its ends dropped ("“Noah’s" → "noah's", "Ark," → "ark").
  var EDGES = /^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu;
  function foldText(s) {
    return fold(s.toLowerCase()).replace(/[\u2018\u2019\u02bc`]/g, "'");
  }
  function foldWord(w) {
    return foldText(w).replace(EDGES, "");
  }
  // The query as terms, each a list of words: a quoted part ("…", “…”, «…») is one term whose
  // words must follow each other; every other word is a term of its own.
  function queryTerms(q) {
    var terms = [];
    var rest = q.replace(/["\u201c\u201d\u00ab\u00bb]([^"\u201c\u201d\u00ab\u00bb]*)["\u201c\u201d\u00ab\u00bb]?/g,
      function (_, phrase) {
        var words = phrase.split(SPACE).map(foldWord).filter(Boolean);
        if (words.length) terms.push(words);
        return " ";
      });
    rest.split(SPACE).map(foldWord).filter(Boolean).forEach(function (w) { terms.push([w]); });
    return terms;
  }
  // The positions in `words` (folded) where `term` starts: each of its words begins the word
  // at its place (a whole word or a word's beginning, never its middle: "ark" finds "Ark" and
  // "arks", not "market" or "dark").
  function termAt(words, term) {
    var found = [];
    for (var i = 0; i + term.length <= words.length; i++) {
      var ok = true;
      for (var j = 0; j < term.length && ok; j++) ok = words[i + j].indexOf(term[j]) === 0;
      if (ok) found.push(i);
    }
    return found;
  }
  // the positions of the written words of `text` that a term matched
  function matchedWords(words, terms) {
    var found = [];
    terms.forEach(function (term) {
      termAt(words, term).forEach(function (i) {
        for (var j = 0; j < term.length; j++) if (found.indexOf(i + j) < 0) found.push(i + j);
      });
    });
    return found.sort(function (a, b) { return a - b; });
  }
  function searchRecords(rows) {
    var terms = queryTerms(query);
    var found = [];
    if (!terms.length) { show(found); return; }
    rows.forEach(function (row, i) {
      var title = row[1].split(SPACE).map(foldWord);
      var text = row[3].split(SPACE).map(foldWord);  // word n: word n of the written text
      var inTitle = terms.filter(function (t) { return termAt(title, t).length; }).length;
      if (!terms.every(function (t) { return termAt(title, t).length || termAt(text, t).length; })) return;
      found.push({
        id: "f" + i,
        score: inTitle * 10 + 1 + i / (rows.length * 10),
        data: function () {
          return Promise.resolve({
            url: row[0], meta: { title: row[1], text: row[3] }, locations: matchedWords(text, terms)
          });
        }
      });
    });
    found.sort(function (a, b) { return b.score - a.score; });
    show(found);
  }
  if (window.location.protocol === "file:") {
    say(msg("searching", "Searching\u2026"));
    var script = document.createElement("script");
    script.src = new URL(box.getAttribute("data-fallback-index") || "/pagefind/fallback.js", document.baseURI).href;
    script.onload = function () { searchRecords(window.BROADSHEET_SEARCH_RECORDS || []); };
    script.onerror = function () { say(msg("unavailable", "Search is not available on this copy of the site.")); };
    document.head.appendChild(script);
    return;
  }

  say(msg("searching", "Searching\u2026"));
  var bundle = new URL(box.getAttribute("data-pagefind-bundle") || "/pagefind/", document.baseURI);
  // The index is split by period: the newest shard is the bundle itself, the older ones are
  // listed in shards.json and merged into it (Pagefind's mergeIndex).
  // Result URLs are kept root-relative (as indexed) wherever the copy is served; resultURL()
  // places them under the site root (Pagefind would otherwise prefix its bundle's folder).
  function mergeShards(pagefind) {
    return Promise.resolve(pagefind.options({ baseUrl: searchBase })).then(function () {
      return fetch(new URL("shards.json", bundle).href);
    }).then(function (r) {
      return r.ok ? r.json() : { shards: [] };
    }).catch(function () { return { shards: [] }; }).then(function (manifest) {
      return Promise.all((manifest.shards || []).map(function (path) {
        // root-relative in the manifest: on this copy, under its site root
        // (results root-relative like the primary's, wherever this copy is served)
        return pagefind.mergeIndex(new URL(path.replace(/^\//, ""), siteRoot).href, { baseUrl: searchBase });
      }));
    }).then(function () { return pagefind; });
  }
  import(new URL("pagefind.js", bundle).href).then(mergeShards).then(function (pagefind) {
    return Promise.all([pagefind.search(fold(query))]);
  }).then(function (searches) {
    var seen = {};
    var merged = [];
    searches.forEach(function (s) {
      (s && s.results || []).forEach(function (r) {
        if (!seen[r.id]) { seen[r.id] = true; merged.push(r); }
      });
    });
    merged.sort(function (a, b) { return b.score - a.score; });
    show(merged);
  }).catch(function (err) {
    if (typeof console !== "undefined") console.error(err);
    say(msg("unavailable", "Search is not available on this copy of the site."));
  });
})();

// Runs broadsheet/static/broadsheet/search.js (the static fallback of /search/) under Node with
// a minimal stand-in for the DOM, as if the baked search page (e.g. /search/ or /fa/search/)
// had been opened at `<base><page>?q=<query>` from a plain static server — or, with a file://
// base, from a folder (the script then loads the plain-script index, data-fallback-index, as a
// classic <script>): the results box gets the attributes of the baked page's own; prints the
// hits it rendered as JSON.
// Usage: node --experimental-network-imports run_search_page.mjs SCRIPT BASE_URL PAGE QUERY
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const [scriptPath, base, page, query] = process.argv.slice(-4);

class El {
  constructor(name) {
    this.nodeName = name.toUpperCase();
    this.nodeType = 1;
    this.childNodes = [];
    this.attrs = {};
    this.className = "";
    this.parentNode = null;
    this.ownText = "";
  }
  appendChild(child) { child.parentNode = this; this.childNodes.push(child); return child; }
  remove() {
    if (this.parentNode) {
      this.parentNode.childNodes = this.parentNode.childNodes.filter((c) => c !== this);
      this.parentNode = null;
    }
  }
  set textContent(value) { this.childNodes = []; this.ownText = String(value); }
  get textContent() { return this.ownText + this.childNodes.map((c) => c.textContent).join(""); }
  getAttribute(name) { return name in this.attrs ? this.attrs[name] : null; }
  addEventListener() {}
  find(test, out = []) {
    if (test(this)) out.push(this);
    this.childNodes.forEach((c) => c.find && c.find(test, out));
    return out;
  }
}
class Text {
  constructor(value) { this.nodeType = 3; this.nodeName = "#text"; this.nodeValue = value; }
  get textContent() { return this.nodeValue; }
}
const decode = (s) => s.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"')
  .replace(/&#39;/g, "'").replace(/&#34;/g, '"').replace(/&amp;/g, "&");

const box = new El("section");
const onDisk = base.startsWith("file:");
const pageURL = base + page + (onDisk && page.endsWith("/") ? "index.html" : "");
const baked = onDisk
  ? readFileSync(fileURLToPath(pageURL), "utf8")
  : await (await fetch(pageURL)).text();
const tag = baked.match(/<section [^>]*data-search-results[^>]*>/)[0];
for (const [, name, value] of tag.matchAll(/([a-z-]+)(?:="([^"]*)")?/g)) {
  if (name !== "section") box.attrs[name] = decode(value || "");
}
const input = new El("input");
const location = new URL(pageURL + "?" + new URLSearchParams({ q: query }));
globalThis.location = location;
globalThis.window = { location };
const nodeFetch = globalThis.fetch;  // as in a browser, relative URLs resolve against the page
globalThis.fetch = (url, options) => nodeFetch(new URL(url, location), options);
// a classic <script src> (the file:// index): run it, then its onload
const head = {
  appendChild(script) {
    setTimeout(() => {
      try {
        (0, eval)(readFileSync(fileURLToPath(script.src), "utf8"));
      } catch (e) {
        script.onerror(e);
        return;
      }
      script.onload();
    }, 0);
  },
};
globalThis.document = {
  baseURI: pageURL,
  head,
  querySelector: (sel) => (sel === "[data-search-results]" ? box : null),
  getElementById: (id) => (id === "search-q" ? input : null),
  createElement: (name) => new El(name),
  createTextNode: (value) => new Text(value),
};
globalThis.DOMParser = class {
  parseFromString(html) {  // enough for Pagefind excerpts: text and <mark> elements
    const p = new El("p");
    for (const part of html.replace(/^<p>|<\/p>$/g, "").split(/(<mark>.*?<\/mark>)/)) {
      if (part.startsWith("<mark>")) {
        const m = new El("mark");
        m.textContent = decode(part.slice(6, -7));
        p.appendChild(m);
      } else if (part) {
        p.appendChild(new Text(decode(part)));
      }
    }
    return { body: { firstChild: p } };
  }
};

globalThis.console = console;
(0, eval)(readFileSync(scriptPath, "utf8"));
const searching = box.attrs["data-msg-searching"];
const ends = [box.attrs["data-msg-unavailable"], box.attrs["data-msg-none"].split("{query}")[0]];
for (let i = 0; i < 200; i++) {
  await new Promise((r) => setTimeout(r, 50));
  const summary = box.find((n) => n.className === "search-summary")[0];
  if (summary && summary.textContent !== searching) {
    const hits = box.find((n) => n.className === "search-hit");
    if (hits.length || ends.some((e) => summary.textContent.startsWith(e))) break;
  }
}
const hits = box.find((n) => n.className === "search-hit").map((li) => {
  const a = li.find((n) => n.nodeName === "A")[0];
  const snippet = li.find((n) => n.className === "search-snippet")[0];
  return {
    href: a.href,
    title: a.textContent,
    marks: snippet.find((n) => n.nodeName === "MARK").map((m) => m.textContent),
    snippet: snippet.textContent,
  };
});
const summary = box.find((n) => n.className === "search-summary")[0];
console.log(JSON.stringify({ query: input.value, summary: summary && summary.textContent, hits }));

// Bytes one static search loads: runs Pagefind's own pagefind.js against a baked site served
// over HTTP, counting every response it fetches (plus pagefind.js itself), for each query.
// Usage: node --experimental-network-imports bench/pagefind_bytes.mjs BASE_URL QUERY...
const [base, ...queries] = process.argv.slice(2);
let bytes = 0;
const files = [];
const nodeFetch = globalThis.fetch;
globalThis.location = new URL(base + "/search/");
globalThis.fetch = async (url, options) => {
  const response = await nodeFetch(new URL(url, globalThis.location), options);
  const body = await response.arrayBuffer();
  bytes += body.byteLength;
  files.push(String(url).split("?")[0]);
  return new Response(body, { status: response.status, headers: response.headers });
};
const js = await nodeFetch(base + "/pagefind/pagefind.js");
const moduleBytes = (await js.arrayBuffer()).byteLength;
const pagefind = await import(base + "/pagefind/pagefind.js");
for (const query of queries) {
  bytes = moduleBytes;
  files.length = 0;
  await pagefind.destroy?.();
  const search = await pagefind.search(query);
  await Promise.all(search.results.slice(0, 10).map((r) => r.data()));
  console.log(JSON.stringify({ query, results: search.results.length, bytes, files: files.length + 1 }));
}

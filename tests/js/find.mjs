// Search a PDF with pdf.js's own find controller, as Firefox's Ctrl+F does.
// Usage: node find.mjs FILE.pdf < queries.json; prints {"query": matches, ...}.
// The viewer module expects a browser: the few DOM calls it makes while
// loading are stubbed; finding itself uses none.
import { readFileSync } from "node:fs";

const element = () => ({
  style: {},
  classList: { add() {}, remove() {}, toggle() {} },
  append() {},
  setAttribute() {},
  addEventListener() {},
});
globalThis.document = {
  documentElement: { style: {} },
  addEventListener() {},
  createElement: element,
};
globalThis.window = globalThis;
// pdf.js 5.6 escapes a query's punctuation ("bien-être") with RegExp.escape,
// which Node has from version 24 on.
RegExp.escape ??= (text) =>
  text
    .replace(/[\\^$.*+?()[\]{}|\/]/g, "\\$&")
    .replace(/[,\-=<>#&!%:;@~'`"]/g, (c) => `\\x${c.charCodeAt(0).toString(16)}`);
globalThis.requestAnimationFrame = (callback) => setTimeout(callback, 0);

const pdfjs = await import("pdfjs-dist/legacy/build/pdf.mjs");
const { EventBus, PDFFindController, PDFLinkService } = await import(
  "pdfjs-dist/web/pdf_viewer.mjs"
);

const data = new Uint8Array(readFileSync(process.argv[2]));
const pdf = await pdfjs.getDocument({ data }).promise;
const eventBus = new EventBus();
const linkService = new PDFLinkService({ eventBus });
linkService.setViewer({
  pagesCount: pdf.numPages,
  currentPageNumber: 1,
  pagesRotation: 0,
  scrollPageIntoView() {},
  getPageView() {
    return null;
  },
});
linkService.setDocument(pdf);
const finder = new PDFFindController({
  linkService,
  eventBus,
  updateMatchesCountOnProgress: false,
});
finder.setDocument(pdf);

function count(query) {
  return new Promise((resolve) => {
    eventBus.on("updatefindmatchescount", (event) => resolve(event.matchesCount.total), {
      once: true,
    });
    eventBus.dispatch("find", {
      source: null,
      type: "casesensitivitychange",
      query,
      caseSensitive: false,
      entireWord: false,
      highlightAll: true,
      findPrevious: false,
      matchDiacritics: true,
    });
  });
}

const found = {};
for (const query of JSON.parse(readFileSync(0, "utf8"))) {
  found[query] = await count(query);
}
console.log(JSON.stringify(found));
await pdf.destroy();

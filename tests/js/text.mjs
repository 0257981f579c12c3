// Extract a PDF's text as pdf.js does (Firefox's copy and its text layer).
// Usage: node text.mjs FILE.pdf; prints each page's text, pages apart by a form feed.
import { readFileSync } from "node:fs";

const pdfjs = await import("pdfjs-dist/legacy/build/pdf.mjs");
const data = new Uint8Array(readFileSync(process.argv[2]));
const pdf = await pdfjs.getDocument({ data }).promise;
const pages = [];
for (let number = 1; number <= pdf.numPages; number++) {
  const page = await pdf.getPage(number);
  const content = await page.getTextContent();
  pages.push(content.items.map((item) => item.str + (item.hasEOL ? "\n" : "")).join(""));
}
process.stdout.write(pages.join("\f"));

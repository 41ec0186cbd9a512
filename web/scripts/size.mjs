// Prints the size of the JavaScript the first page load needs (the entry script and the chunks
// index.html preloads), gzipped, and fails the build when it passes the budget (350 KB).
import { readFileSync, readdirSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { join } from "node:path";

const dist = new URL("../dist/", import.meta.url).pathname;
const html = readFileSync(join(dist, "index.html"), "utf8");
const initial = [...html.matchAll(/(?:src|href)="\/?(assets\/[^"]+\.js)"/g)].map((m) => m[1]);
const gz = (file) => gzipSync(readFileSync(join(dist, file)), { level: 9 }).length;
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
let total = 0;
for (const file of initial) {
  const size = gz(file);
  total += size;
  console.log(`  initial ${file.padEnd(48)} ${kb(size)} gzipped`);
}
const lazy = readdirSync(join(dist, "assets")).filter((f) => f.endsWith(".js") && !initial.includes(`assets/${f}`));
const lazyTotal = lazy.reduce((sum, f) => sum + gz(`assets/${f}`), 0);
console.log(`initial JavaScript: ${kb(total)} gzipped (budget 350 KB); ${lazy.length} lazy chunks: ${kb(lazyTotal)} gzipped`);
if (total > 350 * 1024) {
  console.error("initial JavaScript is over the 350 KB gzipped budget");
  process.exit(1);
}

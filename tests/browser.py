"""A real browser for the web page's tests: the system's Chromium, driven by Playwright.

One browser per test process (a session fixture); each page is opened in a
fresh context at the width asked, and read as a person's browser shows it:
whether it scrolls sideways, whether any two things overlap, and what
axe-core (npm, installed by ``scripts/pdfjs.sh``) finds against WCAG 2.2 AA.
Nothing is downloaded: Playwright starts ``/usr/bin/chromium``
(``scripts/browser.sh`` installs it from the system's packages).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
NODE_MODULES = Path(__file__).parent / "js" / "node_modules"
AXE = NODE_MODULES / "axe-core" / "axe.min.js"
HTML_VALIDATE = NODE_MODULES / ".bin" / "html-validate"
#: Chromium's switches for a quiet, headless run as root, with nothing of its own
#: downloaded or synchronised.
SWITCHES = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
#: What a reader sees as one thing: no two of them may overlap.
LEAVES = "p, h1, h2, h3, li, figcaption, img, time, .button, .contact-label"

#: In the page: the elements that overlap (not one inside the other), and
#: those that stick out of the window.
BOXES_SCRIPT = """(selector) => {
  const shown = [...document.querySelectorAll(selector)].filter(element => {
    const box = element.getBoundingClientRect();
    const style = getComputedStyle(element);
    return box.width > 0 && box.height > 0 && style.visibility !== 'hidden'
      && !element.closest('.skip-link');
  });
  const name = e => e.tagName.toLowerCase() + (e.className ? '.' + String(e.className).split(' ')[0] : '')
    + ' "' + (e.textContent || e.getAttribute('alt') || '').trim().slice(0, 30) + '"';
  const overlaps = [];
  const boxes = shown.map(e => e.getBoundingClientRect());
  for (let i = 0; i < shown.length; i++) {
    for (let j = i + 1; j < shown.length; j++) {
      if (shown[i].contains(shown[j]) || shown[j].contains(shown[i])) continue;
      const a = boxes[i], b = boxes[j];
      const x = Math.min(a.right, b.right) - Math.max(a.left, b.left);
      const y = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
      if (x > 1 && y > 1) overlaps.push([name(shown[i]), name(shown[j])]);
    }
  }
  const width = document.documentElement.clientWidth;
  const outside = shown.filter((e, i) => boxes[i].right > width + 1 || boxes[i].left < -1).map(name);
  return {
    scrollWidth: document.documentElement.scrollWidth,
    clientWidth: width,
    overlaps: overlaps.slice(0, 10),
    outside: outside.slice(0, 10),
  };
}"""


@dataclass
class Seen:
    """What the browser showed of a page at one width."""

    scroll_width: int
    client_width: int
    overlaps: list[list[str]]
    outside: list[str]
    violations: list[dict[str, Any]]


class Browser:
    """Chromium, started once; :meth:`look` opens a page at a width."""

    def __init__(self) -> None:
        from playwright.sync_api import sync_playwright

        self.driver = sync_playwright().start()
        self.chromium = self.driver.chromium.launch(
            executable_path=CHROMIUM, args=SWITCHES
        )

    def look(
        self, page: Path, width: int, screenshot: Path | None = None, axe: bool = True
    ) -> Seen:
        """Open ``page`` ``width`` CSS pixels wide; measure it, run axe-core."""
        context = self.chromium.new_context(viewport={"width": width, "height": 900})
        try:
            tab = context.new_page()
            tab.goto(page.resolve().as_uri(), wait_until="load")
            tab.evaluate(
                "Promise.all([...document.images].map(i => (i.loading = 'eager',"
                " i.decode().catch(() => null))))"
            )
            boxes = tab.evaluate(BOXES_SCRIPT, LEAVES)
            if screenshot is not None:
                tab.screenshot(path=str(screenshot), full_page=True)
            violations = self._axe(tab) if axe else []
        finally:
            context.close()
        return Seen(
            boxes["scrollWidth"],
            boxes["clientWidth"],
            boxes["overlaps"],
            boxes["outside"],
            violations,
        )

    @staticmethod
    def _axe(tab: Any) -> list[dict[str, Any]]:
        tab.add_script_tag(path=str(AXE))
        found: list[dict[str, Any]] = tab.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})"
            ".then(r => r.violations.map(v => ({id: v.id, impact: v.impact,"
            " nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5)})))",
            WCAG_22_AA,
        )
        return found

    def close(self) -> None:
        """End the browser and its driver."""
        self.chromium.close()
        self.driver.stop()


def validate_html(pages: list[Path]) -> dict[str, list[str]]:
    """Return what html-validate (npm) finds in each page, by path: nothing, if valid."""
    config = Path(__file__).parent / "js" / "htmlvalidate.json"
    result = subprocess.run(
        [str(HTML_VALIDATE), "--config", str(config), "--formatter", "json",
         *map(str, pages)],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    if result.returncode not in (0, 1) or not result.stdout.strip():
        raise RuntimeError(f"html-validate failed: {result.stderr[:500]}")
    return {
        report["filePath"]: [
            f"{message['line']}:{message['column']} {message['ruleId']}: {message['message']}"
            for message in report["messages"]
        ]
        for report in json.loads(result.stdout)
        if report["messages"]
    }

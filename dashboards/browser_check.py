"""Open the newswire dashboard in headless Chromium and check that every chart rendered with data.

    .venv-superset/bin/python dashboards/browser_check.py URL PASSWORD SCREENSHOT.png

Runs in Superset's environment (Playwright is in dashboards/requirements.txt) with Debian's
Chromium (``/usr/bin/chromium``, never a downloaded browser). Every request the page makes to
anything but 127.0.0.1 is aborted and reported. Prints one JSON object: per chart, whether it
drew something (canvas, svg or table rows) and any "no results" or error text it shows.
"""

from __future__ import annotations

import json
import sys
import time
from typing import Any
from urllib.parse import urlparse

from playwright.sync_api import Route, sync_playwright

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-background-networking", "--disable-gpu"]

_CHART_STATE = """
() => Array.from(document.querySelectorAll('.dashboard-component-chart-holder')).map(holder => {
  const title = (holder.querySelector('.header-title, [data-test="editable-title"]')
                 || {}).innerText || '';
  const text = holder.innerText || '';
  const canvas = holder.querySelectorAll('canvas').length;
  const svgShapes = holder.querySelectorAll('svg path, svg rect, svg circle').length;
  const rows = holder.querySelectorAll('table tbody tr').length;
  const loading = holder.querySelectorAll('.loading, [aria-label="Loading"]').length;
  return {title: title.trim(), canvas, svgShapes, rows, loading,
          noResults: /No results/i.test(text),
          error: holder.querySelector('.alert-danger, [role="alert"], .ant-alert-error')
                 ? text.slice(0, 300) : null};
})
"""


def main() -> int:
    url, password, screenshot = sys.argv[1], sys.argv[2], sys.argv[3]
    blocked: list[str] = []

    def only_loopback(route: Route) -> None:
        host = urlparse(route.request.url).hostname or ""
        if route.request.url.startswith(("data:", "blob:")) or host in ("127.0.0.1", "localhost"):
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    result: dict[str, Any] = {}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        page = browser.new_page(viewport={"width": 1600, "height": 1400})
        page.route("**/*", only_loopback)
        base = url.split("/superset/")[0]
        page.goto(f"{base}/login/", wait_until="domcontentloaded")
        page.fill("input[name='username'], #username", "admin")
        page.fill("input[name='password'], #password", password)
        page.keyboard.press("Enter")
        page.wait_for_load_state("networkidle", timeout=60_000)
        page.goto(url, wait_until="domcontentloaded")
        # a loaded 2-core CI machine took over 120 s to lay the dashboard out once (round 9)
        page.wait_for_selector(".dashboard-component-chart-holder", timeout=200_000)
        charts: list[dict[str, Any]] = []
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            page.wait_for_timeout(2000)
            charts = page.evaluate(_CHART_STATE)
            done = all(
                c["error"] or c["noResults"] or c["canvas"] or c["svgShapes"] or c["rows"]
                for c in charts
            )
            if charts and done and not any(c["loading"] for c in charts):
                break
        page.wait_for_timeout(1500)  # let the last animation finish before the screenshot
        charts = page.evaluate(_CHART_STATE)
        page.screenshot(path=screenshot, full_page=True)
        browser.close()
    result["charts"] = charts
    result["blocked_requests"] = blocked
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

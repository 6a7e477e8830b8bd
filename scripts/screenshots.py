"""Take Chromium screenshots of pages for a visual check: python scripts/screenshots.py URL OUTDIR.

Signs in as the demo user, then saves one PNG per path given with --path (repeatable).
"""

import argparse
from pathlib import Path

from playwright.sync_api import sync_playwright

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("base_url")
    parser.add_argument("outdir")
    parser.add_argument("--path", action="append", default=[])
    parser.add_argument("--user", default="demo")
    parser.add_argument("--password", default="demo")
    parser.add_argument("--width", type=int, default=1400)
    parser.add_argument("--height", type=int, default=900)
    parser.add_argument("--viewport-only", action="store_true", help="no full-page capture")
    args = parser.parse_args()
    out = Path(args.outdir)
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": args.width, "height": args.height})
        page.goto(f"{args.base_url}/accounts/login/")
        page.screenshot(path=str(out / "login.png"), full_page=True)
        page.fill("#id_username", args.user)
        page.fill("#id_password", args.password)
        page.click("button[type=submit]")
        page.wait_for_load_state("networkidle")
        for path in args.path:
            page.goto(f"{args.base_url}{path}")
            page.wait_for_load_state("networkidle")
            name = path.strip("/").replace("/", "_") or "home"
            page.wait_for_timeout(500)  # let plotly draw
            page.screenshot(path=str(out / f"{name}.png"), full_page=not args.viewport_only)
            print(out / f"{name}.png")
        browser.close()


if __name__ == "__main__":
    main()

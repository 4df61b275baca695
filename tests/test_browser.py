"""The app in a real browser: `streamlit run app.py` on a free port over the five seeds,
driven by headless Chromium (Debian's, which `make test` installs) through Playwright. A
search and a citation lookup must show what a user expects; screenshots go to
tests/artifacts/ for a person to look at."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path("tests/artifacts")
# Without these, Chromium keeps calling Google's hosts, which this machine's network refuses.
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def app(seeded):
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium package")
    data = seeded.store.data_dir  # read only: the browser searches and reads
    port = _free_port()
    env = {**os.environ, "VANKIEN_DATA": str(data)}
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true",
         "--browser.gatherUsageStats", "false"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as answer:
                if answer.status == 200:
                    break
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                pytest.fail("the app did not start:\n" + server.stdout.read().decode())
            time.sleep(0.3)
    yield base
    server.terminate()
    try:
        server.wait(30)
    except subprocess.TimeoutExpired:
        server.kill()


@pytest.fixture(scope="module")
def page(app):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                         args=FLAGS)
        tab = browser.new_page(viewport={"width": 1280, "height": 1000})
        tab.set_default_timeout(60_000)
        yield tab
        browser.close()


def test_search_typed_in_the_box_finds_the_passage(app, page):
    page.goto(f"{app}/tim-kiem")
    box = page.get_by_label("Nội dung cần tìm (có thể gõ không dấu)")
    box.fill("bao cao vien chuan bi de cuong bai giang")
    box.press("Enter")
    page.get_by_text("đề cương bài giảng").first.wait_for()
    page.get_by_text("45-KH/ĐU").first.wait_for()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "browser_search.png"), full_page=True)
    assert "q=bao+cao+vien" in page.url  # the search is in the URL, to share it


def test_citation_lookup_lists_the_implementing_plans(app, page):
    page.goto(f"{app}/trich-dan?ref=kl%2001%2Ftw")
    page.get_by_text("văn bản", exact=False).first.wait_for()
    page.get_by_text("Chuỗi thực hiện").wait_for()
    # the table draws on a canvas; its cells are in the page for screen readers
    for number in ("232-KH/HU", "588-KH/ĐU"):
        page.locator("[role=gridcell]", has_text=number).first.wait_for(state="attached")
    page.get_by_role("link", name="002_5ddcff0f46c04188.txt").first.wait_for()  # the tree
    body = page.inner_text("body")
    assert "Kết luận" in body and "01-KL/TW" in body and "thực hiện" in body
    page.screenshot(path=str(ARTIFACTS / "browser_citations.png"), full_page=True)

"""App benchmark in a real browser (headless Chromium through Playwright): the first page
load after start, model load included, on the sample documents; then later interactions
(a search typed in the box, a citation lookup) at corpus size.

    .venv/bin/python bench/app.py [--samples DIR] [--corpus bench/.cache/corpus] [--queries 20]

``--samples`` is a catalog of the five samples with vectors (built here in a temporary
directory when not given, as `make run` builds ./data). Figures go to stdout and to
``bench/results/app.json``. A benchmark, not a test: nothing is asserted.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "app.json"
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def _port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _start(data: Path) -> tuple[subprocess.Popen, str]:
    port = _port()
    env = {**os.environ, "VANKIEN_DATA": str(data), "HF_HUB_OFFLINE": "1"}
    env.pop("VANKIEN_MODEL", None)
    server = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "app.py",
                               "--server.port", str(port), "--server.address", "127.0.0.1"],
                              cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    for _ in range(600):
        try:
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=1):
                return server, base
        except OSError:
            time.sleep(0.1)
    raise SystemExit("the app did not start")


def _settled(page) -> None:
    """Wait until Streamlit's "running" indicator is gone: the script run has finished."""
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')")


def _ms(values: list[float]) -> dict[str, float]:
    values = sorted(values)
    return {"p50": round(values[len(values) // 2] * 1000), "max": round(values[-1] * 1000)}


def _samples(given: str, scratch: str) -> Path:
    """The samples catalog: ``given``, or built in ``scratch`` as `make run` builds ./data."""
    if given:
        return Path(given)
    samples = Path(scratch) / "data"
    subprocess.run([sys.executable, "cli.py", "--data", str(samples), "ingest", "samples",
                    "--json"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    return samples


def _queries(count: int) -> list[str]:
    with (ROOT / "tests" / "data" / "qrels.tsv").open(encoding="utf-8") as handle:
        return list(dict.fromkeys(r["query"] for r in csv.DictReader(handle, delimiter="\t")
                                  if len(r["query"]) < 120))[:count]


def first_load(page, samples: Path) -> dict[str, float]:
    """From the server's start to a search answered with the model loaded."""
    clock = time.perf_counter()
    server, base = _start(samples)
    started = time.perf_counter() - clock
    page.goto(f"{base}/tim-kiem?q=b%C3%A1o%20c%C3%A1o%20vi%C3%AAn")
    page.get_by_text("kết quả cho “báo cáo viên”").wait_for()
    loaded = time.perf_counter() - clock
    server.terminate()
    server.wait(30)
    return {"first_load_s": round(loaded, 2), "server_start_s": round(started, 2)}


def typed_searches(page, base: str, queries: list[str]) -> list[float]:
    """Seconds from Enter in the search box to every hit drawn, per query."""
    page.goto(f"{base}/tim-kiem?q=k%E1%BA%BF%20ho%E1%BA%A1ch")
    page.get_by_text("kết quả cho “kế hoạch”").wait_for()
    _settled(page)
    box = page.get_by_label("Nội dung cần tìm (có thể gõ không dấu)")
    searches = []
    for query in queries:
        box.fill(query)
        clock = time.perf_counter()
        box.press("Enter")
        page.get_by_text(f"kết quả cho “{' '.join(query.split())}”").first.wait_for()
        _settled(page)  # the hits below the count are drawn too
        searches.append(time.perf_counter() - clock)
    return searches


def typed_lookups(page, base: str) -> list[float]:
    """Seconds from Enter in the citation box to the answer drawn, per reference."""
    lookups = []
    page.goto(f"{base}/trich-dan")
    page.get_by_text("Gõ số hiệu văn bản").wait_for()
    box = page.get_by_label("Số hiệu văn bản (mọi cách viết: 01-KL/TW, kết luận 01, kl 01/tw…)")
    for ref in ("01-KL/TW", "nghị quyết 57", "kl 75/tw", "05-CT/TW", "ket luan 01"):
        box.fill(ref)
        clock = time.perf_counter()
        box.press("Enter")
        page.get_by_text("Chuỗi thực hiện").or_(page.get_by_text("Chưa văn bản nào")).or_(
            page.get_by_text("Không biết văn bản")).first.wait_for()
        _settled(page)
        lookups.append(time.perf_counter() - clock)
        page.goto(f"{base}/trich-dan")  # the next lookup starts from an empty page
        page.get_by_text("Gõ số hiệu văn bản").wait_for()
    return lookups


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--samples", default="")
    parser.add_argument("--corpus", default=str(ROOT / "bench" / ".cache" / "corpus"))
    parser.add_argument("--queries", type=int, default=20)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    scratch = tempfile.TemporaryDirectory()
    samples = _samples(args.samples, scratch.name)
    queries = _queries(args.queries)
    results: dict[str, object] = {"date": datetime.now().isoformat(timespec="seconds"),
                                  "cpus": os.cpu_count()}
    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path="/usr/bin/chromium", args=FLAGS)
        page = browser.new_page(viewport={"width": 1280, "height": 1000})
        page.set_default_timeout(120_000)
        results |= first_load(page, samples)
        # later interactions at corpus size, after a first search has loaded the model
        server, base = _start(Path(args.corpus))
        searches = typed_searches(page, base, queries)
        lookups = typed_lookups(page, base)
        server.terminate()
        server.wait(30)
        browser.close()
    results["corpus"] = str(args.corpus)
    results["search_typed_ms"] = _ms(searches)
    results["citation_typed_ms"] = _ms(lookups)
    print(f"first load (server start, model load, first search shown): "
          f"{results['first_load_s']} s (server up after {results['server_start_s']} s)")
    print(f"search typed at corpus size, {len(searches)} queries: {results['search_typed_ms']}")
    print(f"citation lookup typed at corpus size: {results['citation_typed_ms']}")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    print(f"→ {RESULTS}")


if __name__ == "__main__":
    main()

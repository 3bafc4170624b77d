"""Summarises the Lighthouse JSON reports benchmarks/lighthouse.sh leaves in a
folder (PAGE-RUN.json): per page, the median performance score with the lowest
and highest, LCP, TBT (with its range), CLS and bytes transferred; then the
timeline against the blank Reflex app of the same run. With --detail, also
where each page's main thread went and which scripts cost the most (medians).

Usage: python benchmarks/lighthouse_report.py FOLDER [--detail]
"""

from __future__ import annotations

import json
import statistics
import sys
from pathlib import Path

PAGES = (("sign-in", "ours"), ("timeline", "ours"), ("blank", "blank /"))


def load(folder: Path, page: str) -> list[dict]:
    return [json.loads(p.read_text()) for p in sorted(folder.glob(f"{page}-*.json"))]


def score(report: dict, category: str) -> int:
    return round(report["categories"][category]["score"] * 100)


def audit(report: dict, key: str) -> float:
    return report["audits"][key]["numericValue"]


def table(folder: Path) -> dict[str, list[dict]]:
    runs = {page: load(folder, page) for page, _ in PAGES}
    print(
        f"{'page':15} {'perf':>4} {'(min-max)':>9} {'a11y':>4} {'best':>4} {'seo':>4} "
        f"{'LCP s':>5} {'TBT ms':>6} {'(min-max)':>11} {'CLS':>5} {'KB':>4}"
    )
    for page, whose in PAGES:
        reports = runs[page]
        label = f"{page} ({whose})" if whose == "ours" else whose
        if not reports:
            print(f"{label:15} no successful runs")
            continue
        perfs = [score(r, "performance") for r in reports]
        tbts = [audit(r, "total-blocking-time") for r in reports]
        med = statistics.median
        print(
            f"{label:15} {med(perfs):4.0f} {f'({min(perfs)}-{max(perfs)})':>9} "
            f"{med(score(r, 'accessibility') for r in reports):4.0f} "
            f"{med(score(r, 'best-practices') for r in reports):4.0f} "
            f"{med(score(r, 'seo') for r in reports):4.0f} "
            f"{med(audit(r, 'largest-contentful-paint') for r in reports) / 1000:5.2f} "
            f"{med(tbts):6.0f} {f'({min(tbts):.0f}-{max(tbts):.0f})':>11} "
            f"{med(audit(r, 'cumulative-layout-shift') for r in reports):5.3f} "
            f"{med(audit(r, 'total-byte-weight') for r in reports) / 1024:4.0f}"
        )
    counts = ", ".join(f"{page} {len(runs[page])}" for page, _ in PAGES)
    print(f"(medians; runs: {counts}; Lighthouse 12.8.2, mobile, default throttling, runs interleaved)")
    ours, blank = runs["timeline"], runs["blank"]
    if ours and blank:
        perf_o = statistics.median(score(r, "performance") for r in ours)
        perf_b = statistics.median(score(r, "performance") for r in blank)
        tbt_o = statistics.median(audit(r, "total-blocking-time") for r in ours)
        tbt_b = statistics.median(audit(r, "total-blocking-time") for r in blank)
        tbt_ratio = f"{tbt_o / tbt_b:.2f}" if tbt_b else ("1.00" if not tbt_o else "inf")
        print(
            f"timeline/blank: performance {perf_o:.0f}/{perf_b:.0f} = {perf_o / perf_b:.2f}, "
            f"TBT {tbt_o:.0f}/{tbt_b:.0f} ms = {tbt_ratio}"
        )
    return runs


def detail(runs: dict[str, list[dict]]) -> None:
    """Main-thread time by kind and the costliest scripts (CPU time under
    Lighthouse's 4x slowdown), and the metrics behind the score."""
    med = statistics.median
    for page, _ in PAGES:
        reports = runs[page]
        if not reports:
            continue
        print(f"\n{page}:")
        metrics = ("first-contentful-paint", "largest-contentful-paint", "speed-index", "interactive")
        print("  " + ", ".join(f"{m} {med(audit(r, m) for r in reports):.0f} ms" for m in metrics))
        kinds: dict[str, list[float]] = {}
        for r in reports:
            for item in r["audits"]["mainthread-work-breakdown"]["details"]["items"]:
                kinds.setdefault(item["groupLabel"], []).append(item["duration"])
        total = med(audit(r, "mainthread-work-breakdown") for r in reports)
        print(f"  main thread {total:.0f} ms: " + ", ".join(f"{k} {med(v):.0f}" for k, v in kinds.items()))
        scripts: dict[str, list[tuple[float, float]]] = {}
        for r in reports:
            for item in r["audits"]["bootup-time"]["details"]["items"]:
                name = item["url"].rsplit("/", 1)[-1] or item["url"]
                scripts.setdefault(name, []).append((item["scripting"], item["scriptParseCompile"]))
        ranked = sorted(scripts.items(), key=lambda kv: -med(s for s, _ in kv[1]))
        for name, values in ranked[:6]:
            evaluate, parse = med(s for s, _ in values), med(p for _, p in values)
            print(f"  script {name[:60]:60} eval {evaluate:5.0f} ms, parse {parse:4.0f} ms")
        tasks = [
            sum(1 for t in r["audits"]["long-tasks"]["details"]["items"] if t["duration"] >= 50)
            for r in reports
            if r["audits"].get("long-tasks", {}).get("details")
        ]
        if tasks:
            print(f"  long tasks (>= 50 ms, 4x CPU): median {med(tasks):.0f} per load")
        by_kind: dict[str, list[float]] = {}
        for r in reports:
            counted: dict[str, float] = {}
            for item in r["audits"]["network-requests"]["details"]["items"]:
                kind = item.get("resourceType", "Other")
                counted[kind] = counted.get(kind, 0) + item.get("transferSize", 0)
            for kind, size in counted.items():
                by_kind.setdefault(kind, []).append(size)
        print("  transfer KB: " + ", ".join(f"{k} {med(v) / 1024:.0f}" for k, v in sorted(by_kind.items())))


def main() -> None:
    folder = Path(sys.argv[1])
    runs = table(folder)
    if "--detail" in sys.argv[2:]:
        detail(runs)


if __name__ == "__main__":
    main()

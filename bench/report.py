"""Results: JSON, a flat CSV, the ratio tables (Markdown) and an SVG plot.

matplotlib is not a dependency; the plot is a small hand-written SVG (two log-log panels:
median query latency and load peak memory against the number of incidents).
"""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path
from typing import Any

Results = dict[str, Any]


def flatten(results: Results) -> list[dict[str, Any]]:
    """One CSV row per (size, phase, system, metric)."""
    rows = []
    for size in results["sizes"]:
        n = size["incidents"]

        def walk(prefix: list[str], value: Any, n: int = n) -> None:
            if isinstance(value, dict):
                for key, inner in value.items():
                    walk([*prefix, str(key)], inner)
            elif isinstance(value, int | float) and not isinstance(value, bool):
                rows.append({"incidents": n, "metric": ".".join(prefix), "value": value})

        walk([], {k: v for k, v in size.items() if k != "incidents"})
    return rows


def _div(a: float, b: float) -> float | None:
    return a / b if b else None


def ratios(size: Results) -> dict[str, float | None]:
    """The headline ratios of one size (harmgraph over each peer; < 1 is faster for time).

    A ratio whose denominator is zero (a peer that completed no request) is None.
    """
    out: dict[str, float | None] = {}
    ep = size.get("endpoint", {}).get("latency", {})
    hg = ep.get("harmgraph")
    for peer in ("oxigraph", "rdflib"):
        if hg and peer in ep:
            out[f"endpoint_p50_vs_{peer}"] = hg["p50_ms"] / ep[peer]["p50_ms"]
            out[f"endpoint_p95_vs_{peer}"] = hg["p95_ms"] / ep[peer]["p95_ms"]
            per_query = [
                q["p50_ms"] / ep[peer]["queries"][name]["p50_ms"]
                for name, q in hg["queries"].items()
            ]
            out[f"endpoint_geomean_vs_{peer}"] = math.exp(
                sum(math.log(r) for r in per_query) / len(per_query)
            )
    tp = size.get("endpoint", {}).get("throughput_rps", {})
    for peer in ("oxigraph", "rdflib"):
        if tp.get("harmgraph") is not None and tp.get(peer) is not None:
            out[f"throughput_vs_{peer}"] = _div(tp["harmgraph"], tp[peer])
    load = size.get("load", {})
    for peer in ("oxigraph", "rdflib"):
        if "harmgraph" in load and peer in load:
            out[f"load_throughput_vs_{peer}"] = (
                load["harmgraph"]["triples_per_s"] / load[peer]["triples_per_s"]
            )
            out[f"load_memory_vs_{peer}"] = load["harmgraph"]["peak_mb"] / load[peer]["peak_mb"]
    full = size.get("validation", {}).get("full_store")
    if full:
        out["full_validation_time_vs_pyshacl"] = (
            full["harmgraph"]["seconds"] / full["pyshacl"]["seconds"]
        )
    return out


def markdown(results: Results) -> str:
    """The ratio tables and the main absolute numbers, as Markdown."""
    lines = []
    names = sorted({k for s in results["sizes"] for k in s.get("ratios", {})})
    sizes = [s["incidents"] for s in results["sizes"]]
    lines.append("| ratio (harmgraph / peer) | " + " | ".join(f"{n:,}" for n in sizes) + " |")
    lines.append("| --- |" + " ---: |" * len(sizes))
    for name in names:
        cells = [s.get("ratios", {}).get(name) for s in results["sizes"]]
        lines.append(f"| {name} | " + " | ".join(_fmt(c) for c in cells) + " |")
    lines.append("")
    lines.append("| absolute | " + " | ".join(f"{n:,}" for n in sizes) + " |")
    lines.append("| --- |" + " ---: |" * len(sizes))
    for label, path in _ABSOLUTE:
        cells = [_get(s, path) for s in results["sizes"]]
        if any(c is not None for c in cells):
            lines.append(f"| {label} | " + " | ".join(_fmt(c) for c in cells) + " |")
    for size in results["sizes"]:
        lines.extend(_per_query(size))
        lines.extend(_explorer(size))
    names = list(dict.fromkeys(k for s in results["sizes"] for k in s.get("section_s", {})))
    if names:
        lines += ["", "| section s | " + " | ".join(f"{n:,}" for n in sizes) + " |"]
        lines.append("| --- |" + " ---: |" * len(sizes))
        for name in names:
            cells = [s.get("section_s", {}).get(name) for s in results["sizes"]]
            lines.append(f"| {name} | " + " | ".join(_fmt(c) for c in cells) + " |")
    if "elapsed_s" in results:
        lines += ["", f"Whole run: {results['elapsed_s']:.0f} s."]
    return "\n".join(lines) + "\n"


def _per_query(size: Results) -> list[str]:
    """Per query p50 ms on each server; "> t" where a server was stopped at the time limit."""
    latency = size.get("endpoint", {}).get("latency", {})
    if not latency:
        return []
    servers = list(latency)
    lines = ["", f"| {size['incidents']:,} incidents, p50 ms | " + " | ".join(servers)]
    lines[-1] += " | harmgraph / oxigraph |"
    lines.append("| --- |" + " ---: |" * (len(servers) + 1))
    for query in size["endpoint"]["queries"]:
        cells = []
        for server in servers:
            q = latency[server]["queries"][query]
            cells.append(("> " if q["timed_out"] else "") + _fmt(q["p50_ms"]))
        ratio = None
        if "harmgraph" in latency and "oxigraph" in latency:
            ratio = (
                latency["harmgraph"]["queries"][query]["p50_ms"]
                / latency["oxigraph"]["queries"][query]["p50_ms"]
            )
        lines.append(f"| {query} | " + " | ".join(cells) + f" | {_fmt(ratio)} |")
    return lines


def _explorer(size: Results) -> list[str]:
    views = size.get("explorer", {}).get("views", {})
    if not views:
        return []
    first = size["explorer"]["first_request_s"]
    lines = ["", f"| {size['incidents']:,} incidents, explorer | URL | median ms | p90 ms |"]
    lines.append("| --- | --- | ---: | ---: |")
    for path, v in views.items():
        lines.append(f"| {v['what']} | `{path}` | {_fmt(v['median_ms'])} | {_fmt(v['p90_ms'])} |")
    lines.append(f"| first request (builds the network) | | {_fmt(1000 * first)} | |")
    return lines


_ABSOLUTE = (
    [
        (f"{what} {sys}", f"{phase}.{sys}.{key}")
        for phase, key, what in (
            ("load", "triples_per_s", "load triples/s"),
            ("load", "peak_mb", "load peak MiB"),
        )
        for sys in ("harmgraph", "oxigraph", "rdflib")
    ]
    + [
        (f"endpoint p50 ms {sys}", f"endpoint.latency.{sys}.p50_ms")
        for sys in ("harmgraph", "oxigraph", "rdflib")
    ]
    + [
        (f"endpoint p95 ms {sys}", f"endpoint.latency.{sys}.p95_ms")
        for sys in ("harmgraph", "oxigraph", "rdflib")
    ]
    + [
        (f"throughput req/s {sys}", f"endpoint.throughput_rps.{sys}")
        for sys in ("harmgraph", "oxigraph", "rdflib")
    ]
    + [
        ("harmgraph import stopped at the timeout", "load.harmgraph.timed_out"),
        ("server RSS MiB harmgraph", "endpoint.latency.harmgraph.rss_mb"),
        ("server RSS MiB oxigraph", "endpoint.latency.oxigraph.rss_mb"),
        ("server RSS MiB rdflib", "endpoint.latency.rdflib.rss_mb"),
        ("validated write median ms", "validation.single_write.median_ms"),
        ("validated write p95 ms", "validation.single_write.p95_ms"),
        ("full validation s harmgraph", "validation.full_store.harmgraph.seconds"),
        ("full validation peak MiB harmgraph", "validation.full_store.harmgraph.peak_mb"),
        ("full validation s pyshacl", "validation.full_store.pyshacl.seconds"),
        ("full validation peak MiB pyshacl", "validation.full_store.pyshacl.peak_mb"),
        ("full validation same results", "validation.full_store.identical"),
        ("export N-Quads s harmgraph", "dump.harmgraph-nquads.seconds"),
        ("export N-Quads peak MiB harmgraph", "dump.harmgraph-nquads.peak_mb"),
        ("export Turtle s harmgraph", "dump.harmgraph-turtle.seconds"),
        ("export Turtle peak MiB harmgraph", "dump.harmgraph-turtle.peak_mb"),
        ("dump N-Quads s oxigraph CLI", "dump.oxigraph-nquads.seconds"),
        ("dump N-Quads peak MiB oxigraph CLI", "dump.oxigraph-nquads.peak_mb"),
    ]
)


def _get(tree: Results, path: str) -> Any:
    node: Any = tree
    for key in path.split("."):
        if not isinstance(node, dict) or key not in node:
            return None
        node = node[key]
    return node


def _fmt(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:,.3g}" if abs(value) < 100 else f"{value:,.0f}"
    return str(value)


def write(results: Results, out: Path) -> None:
    """Write results.json, results.csv, ratios.md and plot.svg into ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    for size in results["sizes"]:
        size["ratios"] = ratios(size)
    (out / "results.json").write_text(json.dumps(results, indent=2) + "\n")
    with (out / "results.csv").open("w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=["incidents", "metric", "value"])
        writer.writeheader()
        writer.writerows(flatten(results))
    (out / "ratios.md").write_text(markdown(results))
    (out / "plot.svg").write_text(plot(results))


_COLOURS = {"harmgraph": "#1b9e77", "oxigraph": "#d95f02", "rdflib": "#7570b3"}


def plot(results: Results) -> str:
    """Two log-log panels as SVG: endpoint p50 latency and load peak memory vs incidents."""
    panels = [
        ("median query latency (ms)", "endpoint.latency.{}.p50_ms"),
        ("load peak memory (MiB)", "load.{}.peak_mb"),
    ]
    width, height, pad = 360, 260, 50
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{2 * width}" height="{height + 40}" '
        'font-family="sans-serif" font-size="11">',
        f'<rect width="{2 * width}" height="{height + 40}" fill="white"/>',
    ]
    sizes = [s["incidents"] for s in results["sizes"]]
    for k, (title, path) in enumerate(panels):
        x0 = k * width
        series = {
            name: [(s["incidents"], _get(s, path.format(name))) for s in results["sizes"]]
            for name in _COLOURS
        }
        values = [v for pts in series.values() for _, v in pts if v]
        if not values or not sizes:
            continue
        lo, hi = math.log10(min(values)) - 0.1, math.log10(max(values)) + 0.1
        xlo, xhi = math.log10(min(sizes)) - 0.2, math.log10(max(sizes)) + 0.2

        def px(n: float, x0: int = x0, xlo: float = xlo, xhi: float = xhi) -> float:
            return x0 + pad + (math.log10(n) - xlo) / (xhi - xlo) * (width - 1.5 * pad)

        def py(v: float, lo: float = lo, hi: float = hi) -> float:
            return height - pad + 20 - (math.log10(v) - lo) / (hi - lo) * (height - 1.5 * pad)

        parts.append(f'<text x="{x0 + pad}" y="18" font-size="13">{title}</text>')
        parts.append(
            f'<line x1="{x0 + pad}" y1="{height - pad + 20}" x2="{x0 + width - pad / 2}" '
            f'y2="{height - pad + 20}" stroke="black"/>'
        )
        parts.append(
            f'<line x1="{x0 + pad}" y1="30" x2="{x0 + pad}" y2="{height - pad + 20}" '
            'stroke="black"/>'
        )
        for n in sizes:
            parts.append(
                f'<text x="{px(n):.1f}" y="{height - pad + 35}" text-anchor="middle">{n:,}</text>'
            )
        for e in range(math.floor(lo), math.ceil(hi) + 1):
            if lo <= e <= hi:
                parts.append(
                    f'<text x="{x0 + pad - 5}" y="{py(10**e) + 4:.1f}" text-anchor="end">'
                    f"{10**e:g}</text>"
                )
        for i, (name, pts) in enumerate(series.items()):
            good = [(n, v) for n, v in pts if v]
            colour = _COLOURS[name]
            if len(good) > 1:
                coords = " ".join(f"{px(n):.1f},{py(v):.1f}" for n, v in good)
                parts.append(f'<polyline points="{coords}" fill="none" stroke="{colour}"/>')
            for n, v in good:
                parts.append(f'<circle cx="{px(n):.1f}" cy="{py(v):.1f}" r="3" fill="{colour}"/>')
            parts.append(
                f'<text x="{x0 + pad + 10 + 90 * i}" y="{height + 30}" fill="{colour}">'
                f"■ {name}</text>"
            )
        parts.append(
            f'<text x="{x0 + width / 2}" y="{height + 12}" text-anchor="middle">incidents</text>'
        )
    parts.append("</svg>")
    return "\n".join(parts) + "\n"

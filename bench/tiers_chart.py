"""Renders the chart of bench/pants_vs_pytest.py: one horizontal bar chart per tier.

Runs in the `bench` resolve's virtualenv (matplotlib, pinned by 3rdparty/python/bench.lock);
pants_vs_pytest.py builds that virtualenv and calls this script with the measured results.

Usage: python tiers_chart.py RESULTS.json OUT.png
RESULTS.json: {"title": str, "tiers": {tier: [{"label": str, "seconds": float}, ...]}}, the first
row of each tier being plain pytest, against which the ratios are printed on the bars.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # no display needed

import matplotlib.pyplot as plt


def render(results: dict, out: Path) -> None:
    tiers = results["tiers"]
    fig, axes = plt.subplots(
        len(tiers), 1, figsize=(10, 2.2 + 0.75 * sum(len(rows) for rows in tiers.values()))
    )
    if len(tiers) == 1:
        axes = [axes]
    for ax, (tier, rows) in zip(axes, tiers.items()):
        labels = [row["label"] for row in rows][::-1]
        seconds = [row["seconds"] for row in rows][::-1]
        baseline = rows[0]["seconds"]
        colors = ["#7f7f7f" if label.startswith("plain") else "#1f77b4" for label in labels]
        bars = ax.barh(labels, seconds, color=colors)
        for bar, value in zip(bars, seconds):
            ax.text(
                bar.get_width() + max(seconds) * 0.01,
                bar.get_y() + bar.get_height() / 2,
                f"{value:.1f} s  ({value / baseline:.2f}x)",
                va="center",
                fontsize=9,
            )
        ax.set_title(f"{tier} tier", loc="left", fontsize=11, fontweight="bold")
        ax.set_xlabel("wall-clock seconds (median); ratio against plain pytest of the tier")
        ax.set_xlim(0, max(seconds) * 1.3)
        ax.grid(axis="x", alpha=0.3)
    fig.suptitle(results["title"], fontsize=10)
    fig.tight_layout()
    fig.savefig(out, dpi=110)


def main() -> None:
    if len(sys.argv) != 3:
        sys.exit(f"usage: {sys.argv[0]} RESULTS.json OUT.png")
    render(json.loads(Path(sys.argv[1]).read_text()), Path(sys.argv[2]))


if __name__ == "__main__":
    main()

"""Print the import graph between Tadreeb's apps: for each pair of apps, how many
modules of the first import the second, and which (with ``--detail``).

    .venv/bin/python tools/import_graph.py [--detail]

Imports inside functions count. The order the apps must keep is the layers contract
in ``.importlinter`` (checked by ``lint-imports`` in CI); this script shows the graph
itself, so that a reader sees what each app leans on. Migrations are left out: they
import only the apps they were written against, and the order holds for them too.
"""

from __future__ import annotations

import sys
from collections import defaultdict
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parent.parent
APPS = ["core", "accounts", "courses", "quizzes", "certificates", "reporting", "demo"]
PROJECT = "lms"


def app_of(module: str) -> str:
    return module.split(".", 1)[0]


def main(argv: list[str]) -> int:
    sys.path.insert(0, str(ROOT))
    packages = [PROJECT, *APPS]
    graph = grimp.build_graph(*packages, include_external_packages=False)
    edges: dict[tuple[str, str], set[tuple[str, str]]] = defaultdict(set)
    for package in packages:
        for module in graph.find_descendants(package) | {package}:
            if ".migrations." in module:
                continue
            for imported in graph.find_modules_directly_imported_by(module):
                source, target = app_of(module), app_of(imported)
                if source != target:
                    edges[source, target].add((module, imported))
    order = {name: rank for rank, name in enumerate([*APPS, PROJECT])}
    print("Imports between apps (order: " + " < ".join([*APPS, PROJECT]) + ")\n")
    upward = 0
    for (source, target), pairs in sorted(
        edges.items(), key=lambda item: (order[item[0][0]], order[item[0][1]])
    ):
        direction = "ok" if order[target] < order[source] else "UPWARD"
        upward += direction == "UPWARD"
        count = len(pairs)
        print(
            f"  {source:>12} -> {target:<12} {count:3d} module import(s)  {direction}"
        )
        if "--detail" in argv:
            for module, imported in sorted(pairs):
                print(f"                 {module} -> {imported}")
    print(f"\n{upward} upward edge(s).")
    return 1 if upward else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

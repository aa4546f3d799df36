"""`make bench`: run every benchmark module in turn; each rewrites its section of BENCHMARKS.md."""

from __future__ import annotations

import importlib
import pkgutil
import sys
from pathlib import Path

SKIP = {"run", "report"}


def main() -> None:
    names = sorted(
        m.name
        for m in pkgutil.iter_modules([str(Path(__file__).parent)])
        if m.name not in SKIP and not m.name.startswith("_")
    )
    for name in names:
        module = importlib.import_module(f"benchmarks.{name}")
        if hasattr(module, "main"):
            print(f"== benchmarks.{name}", flush=True)
            saved, sys.argv = sys.argv, [name]
            try:
                module.main()
            finally:
                sys.argv = saved


if __name__ == "__main__":
    main()

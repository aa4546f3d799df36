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
            # Each module runs with its defaults; for check_speed that is sizes 10,000 and
            # 100,000. Its 1,000,000 row takes hours and is produced on its own with
            # `python -m benchmarks.check_speed --sizes 1000000 --store PATH`, which keeps the
            # rows written here.
            saved, sys.argv = sys.argv, [name]
            try:
                module.main()
            finally:
                sys.argv = saved


if __name__ == "__main__":
    main()

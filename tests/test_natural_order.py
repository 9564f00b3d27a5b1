"""The generator orders imports and ``__all__`` exactly as ruff's isort rules want."""

from __future__ import annotations

import subprocess
from pathlib import Path

from apismith.pyrender import all_order, import_order
from apismith.write import ruff_binary

NAMES = [
    "Item10",
    "Item9",
    "Item09",
    "Item009a",
    "Item0010",
    "item2",
    "item10x",
    "ITEM",
    "ITEM2",
    "A1B2",
    "A1B10",
    "A01B2",
    "A1B02",
    "V1_10",
    "V1_9",
    "V10",
    "Zed",
    "zed",
    "Repo",
    "Repository",
    "Repo2",
    "RepoItem",
]


def test_imports_and_all_in_the_order_ruff_keeps(tmp_path: Path) -> None:
    modules = {f"m{n}": set(NAMES) for n in ("10", "9", "09", "1a", "1")}
    lines = ["from __future__ import annotations", ""]
    for module, names in import_order(modules):
        lines.append(f"from .{module} import (")
        lines.extend(f"    {name}," for name in names)
        lines.append(")")
    lines += ["", "__all__ = ["]
    lines.extend(f'    "{name}",' for name in all_order(NAMES))
    lines.append("]")
    source = tmp_path / "module.py"
    source.write_text("\n".join(lines) + "\n", "utf-8")
    result = subprocess.run(
        [ruff_binary(), "check", "--no-cache", "--select", "I001,RUF022", str(source)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout

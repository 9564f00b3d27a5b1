"""The generator orders imports and ``__all__`` exactly as ruff's isort rules want."""

from __future__ import annotations

import random
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


def random_names(seed: int, count: int) -> list[str]:
    """Identifiers crowded with digit runs, leading zeros and case: a letter, then up to
    six characters of a small alphabet."""
    chance = random.Random(seed)
    return [
        chance.choice("aAbB_")
        + "".join(chance.choice("aAbB_00019") for _ in range(chance.randrange(7)))
        for _ in range(count)
    ]


def assert_ruff_keeps(tmp_path: Path, names: list[str], modules: list[str]) -> None:
    wanted = {module: set(names) for module in modules}
    lines = ["from __future__ import annotations", ""]
    for module, imported in import_order(wanted):
        lines.append(f"from .{module} import (")
        lines.extend(f"    {name}," for name in imported)
        lines.append(")")
    lines += ["", "__all__ = ["]
    lines.extend(f'    "{name}",' for name in all_order(names))
    lines.append("]")
    source = tmp_path / "module.py"
    source.write_text("\n".join(lines) + "\n", "utf-8")
    result = subprocess.run(
        [ruff_binary(), "check", "--no-cache", "--select", "I001,RUF022", str(source)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout


def test_imports_and_all_in_the_order_ruff_keeps(tmp_path: Path) -> None:
    assert_ruff_keeps(tmp_path, NAMES, [f"m{n}" for n in ("10", "9", "09", "1a", "1")])


def test_random_names_in_the_order_ruff_keeps(tmp_path: Path) -> None:
    names = random_names(seed=7, count=400)
    modules = random_names(seed=8, count=60)
    assert_ruff_keeps(tmp_path, names, modules)

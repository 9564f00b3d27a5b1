"""Writing rendered files into a staging folder."""

from __future__ import annotations

from pathlib import Path

from apismith.write import write_files


def test_files_are_written_whole_in_utf8_with_their_folders(tmp_path: Path) -> None:
    (tmp_path / "old.txt").write_text("a longer text that was there before\n", "utf-8")
    files = {
        "README.md": "# Café ☕\n",
        "src/pkg/models/pet.py": "x = 1\n" * 50_000,
        "src/pkg/__init__.py": "",
        "old.txt": "short\n",
    }
    write_files(tmp_path, files)
    for relative, text in files.items():
        assert (tmp_path / relative).read_bytes() == text.encode("utf-8"), relative

from __future__ import annotations

from pathlib import Path

from apismith.lint.references import check_references
from apismith.load import load_document
from apismith.refs import Resolver


def resolver_for(tmp_path: Path, files: dict[str, str], root: str = "api.yaml") -> Resolver:
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return Resolver(load_document(tmp_path / root).document)


def test_local_and_relative_file_refs_resolve(tmp_path: Path) -> None:
    resolver = resolver_for(
        tmp_path,
        {
            "api.yaml": "a: {$ref: '#/b'}\nb: {x: 1}\nc: {$ref: 'common/pet.yaml#/Pet'}\n",
            "common/pet.yaml": "Pet: {type: object}\n",
        },
    )
    root = resolver.root
    local = resolver.resolve("#/b", root, "/a/$ref")
    assert local is not None and local.value == {"x": 1}
    remote_file = resolver.resolve("common/pet.yaml#/Pet", root, "/c/$ref")
    assert remote_file is not None and remote_file.value == {"type": "object"}
    assert remote_file.document.path == (tmp_path / "common/pet.yaml").resolve()
    assert resolver.diagnostics == []


def test_pointer_tokens_are_unescaped(tmp_path: Path) -> None:
    resolver = resolver_for(tmp_path, {"api.yaml": "paths:\n  /a/{id}:\n    x: 1\n"})
    target = resolver.resolve("#/paths/~1a~1%7Bid%7D", resolver.root, "/r")
    assert target is not None and target.value == {"x": 1}


def test_broken_refs_are_diagnostics_at_the_ref(tmp_path: Path) -> None:
    resolver = resolver_for(tmp_path, {"api.yaml": "a: 1\n"})
    root = resolver.root
    for ref in [
        "#/missing",
        "../outside.yaml",
        "/etc/passwd",
        "https://example.com/x.yaml",
        "nope.yaml",
    ]:
        assert resolver.resolve(ref, root, "/a/$ref") is None
    rules = [d.rule for d in resolver.diagnostics]
    assert rules == [
        "ref/unresolved",
        "ref/outside",
        "ref/outside",
        "ref/remote",
        "ref/missing-file",
    ]
    assert {d.pointer for d in resolver.diagnostics} == {"/a/$ref"}


def test_symlink_out_of_the_folder_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "outside.yaml"
    outside.write_text("x: 1\n", encoding="utf-8")
    spec_folder = tmp_path / "spec"
    spec_folder.mkdir()
    (spec_folder / "link.yaml").symlink_to(outside)
    resolver = resolver_for(spec_folder, {"api.yaml": "a: 1\n"})
    assert resolver.resolve("link.yaml", resolver.root, "/a") is None
    assert [d.rule for d in resolver.diagnostics] == ["ref/outside"]


def test_follow_stops_on_a_content_free_cycle(tmp_path: Path) -> None:
    resolver = resolver_for(tmp_path, {"api.yaml": "a: {$ref: '#/b'}\nb: {$ref: '#/a'}\n"})
    assert resolver.follow(resolver.root.data["a"], resolver.root, "/a") is None
    assert [d.rule for d in resolver.diagnostics] == ["ref/cycle"]


def test_the_references_check_finds_each_cycle_where_it_closes(tmp_path: Path) -> None:
    resolver = resolver_for(
        tmp_path,
        {
            "api.yaml": (
                "loop: {a: {$ref: '#/loop/b'}, b: {$ref: '#/loop/a'}}\n"
                "into: {$ref: '#/x-a'}\n"  # enters a loop kept under an extension
                "x-a: {$ref: '#/x-b'}\n"
                "x-b: {$ref: '#/x-a'}\n"
                "chain: {$ref: '#/via'}\n"
                "via: {$ref: '#/content'}\n"
                "content: {type: string}\n"
                "other: {$ref: 'other.yaml#/self'}\n"
            ),
            "other.yaml": "self: {$ref: '#/self'}\n",
        },
    )
    check_references(resolver)
    cycles = {(Path(d.file).name, d.pointer) for d in resolver.diagnostics}
    assert {d.rule for d in resolver.diagnostics} == {"ref/cycle"}
    assert cycles == {
        ("api.yaml", "/loop/a/$ref"),
        ("api.yaml", "/loop/b/$ref"),
        ("api.yaml", "/x-a/$ref"),
        ("other.yaml", "/self/$ref"),
    }


def test_local_refs_are_read_as_urls_are(tmp_path: Path) -> None:
    """After ``#`` everything is the fragment, percent-decoded; tabs and line breaks in a
    reference are dropped, as ``urllib`` drops them."""
    resolver = resolver_for(
        tmp_path,
        {"api.yaml": "'a?b': 1\n'a b': 2\n'a#b': 3\nab: 4\n'%41': 5\n"},
    )
    root = resolver.root
    for ref, value in (
        ("#/a?b", 1),
        ("#/a%20b", 2),
        ("#/a#b", 3),
        ("#/a\tb", 4),
        ("#/a\nb", 4),
        ("#/%2541", 5),
    ):
        target = resolver.resolve(ref, root, "/x/$ref")
        assert target is not None and target.value == value, ref
    assert resolver.resolve("#a", root, "/y/$ref") is None
    assert [d.rule for d in resolver.diagnostics] == ["ref/fragment"]

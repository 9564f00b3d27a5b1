from __future__ import annotations

from apismith.tidy import drop_unused_aliases


def test_only_unused_alias_imports_are_dropped() -> None:
    text = (
        "import datetime as _dt\n"
        "import typing as _t\n"
        "import uuid as _uuid\n"
        "from .. import _model_base as _mb\n"
        "from .pet import Pet\n"
        "\n"
        "class A(_mb.ApiModel):\n"
        "    when: _dt.datetime\n"
        "    note: str = '_uuid is only text here'\n"
    )
    tidy = drop_unused_aliases(text)
    assert "import datetime as _dt\n" in tidy
    assert "from .. import _model_base as _mb\n" in tidy
    assert "import typing as _t" not in tidy
    assert "from .pet import Pet\n" in tidy
    # a mention inside a string keeps the import: harmless, never a broken file
    assert "import uuid as _uuid\n" in tidy


def test_alias_prefix_of_another_alias_is_not_a_use() -> None:
    text = "import typing as _t\nimport typing_extensions as _te\n\nx: _te.Self\n"
    assert drop_unused_aliases(text) == "import typing_extensions as _te\n\nx: _te.Self\n"


def test_a_removed_import_group_leaves_one_blank_line() -> None:
    text = (
        "from __future__ import annotations\n\nimport typing as _t\n\nfrom . import _mb\n\n\n"
        "class A(_mb.Base):\n    pass\n"
    )
    assert drop_unused_aliases(text) == (
        "from __future__ import annotations\n\nfrom . import _mb\n\n\nclass A(_mb.Base):\n    pass\n"
    )


def test_only_whole_import_lines_count_as_aliased_imports() -> None:
    text = (
        "import typing as _t\n"
        "    import json as _json\n"
        "with open(path) as _unused:\n"
        "    pass\n"
        "x = 'import uuid as _uuid\\n'\n"
        "import datetime as _dt\n"
    )
    assert drop_unused_aliases(text) == (
        "    import json as _json\n"
        "with open(path) as _unused:\n"
        "    pass\n"
        "x = 'import uuid as _uuid\\n'\n"
    )


def test_an_alias_imported_twice_and_used_nowhere_goes_with_both_lines() -> None:
    text = "import typing as _t\nimport json as _j\nimport typing as _t\n\nx = _j.dumps\n"
    assert drop_unused_aliases(text) == "import json as _j\n\nx = _j.dumps\n"


def test_an_alias_counts_only_as_a_whole_name() -> None:
    text = "import typing as _t\nimport json as _j\n\nx = a._t + my_t + _tx + _j_2\n"
    assert drop_unused_aliases(text) == "\nx = a._t + my_t + _tx + _j_2\n"

"""The lint differential: apismith's example findings against Redocly's on one spec.

Both tools lint the same description with JSON output; each finding about an example
(apismith's ``example/*`` rules; Redocly's ``no-invalid-media-type-examples`` and
``no-invalid-parameter-examples``) is reduced to one key, the JSON pointer of the
example value where it is defined: the part below the value (where in the example it
failed) is dropped, and ``$ref`` on the way is followed, so that apismith's use-site
pointer (``.../examples/default/value/0/id``) and Redocly's resolved location
(``/components/examples/x/value/0/id``) meet at ``/components/examples/x/value``.

Examples flagged by both tools agree. Every example flagged by one tool only gets a
category that explains it, from the other tool's messages and the example's value; the
rest are listed as ``unexplained`` with their pointers.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from typing import Any

from bench.report import row_line

REDOCLY_RULES = frozenset({"no-invalid-media-type-examples", "no-invalid-parameter-examples"})
# Redocly checks schema-level examples under this rule (not one of the two compared).
REDOCLY_SCHEMA_RULE = "no-invalid-schema-examples"
APISMITH_PREFIX = "example/"

AGREE = "agree"
UNEXPLAINED = "unexplained"

# category -> (side, what explains it). Side: "both", "redocly" (Redocly only) or
# "apismith" (apismith only).
CATEGORIES: dict[str, tuple[str, str]] = {
    AGREE: ("both", "both tools flag the example"),
    "redocly-cannot-check-nullable": (
        "redocly",
        'Redocly refuses to check it ("nullable" without "type"); apismith checks it and '
        "accepts null there, by design",
    ),
    "redocly-closed-schemas": (
        "redocly",
        "Redocly treats schemas as closed (allowAdditionalProperties: false) and reports "
        "properties the schema does not list; the spec does not forbid them",
    ),
    "redocly-null-in-nullable-enum": (
        "redocly",
        "Redocly rejects null where nullable: true stands beside an enum; apismith "
        "accepts it (3.0 nullable)",
    ),
    "redocly-discriminator": (
        "redocly",
        "Redocly enforces the discriminator's tag (present, a string, a mapped value); "
        "apismith does not flag it",
    ),
    "redocly-anyof-branch": (
        "redocly",
        "Redocly reports a failing branch of an anyOf/oneOf that apismith finds satisfied",
    ),
    "apismith-redocly-unchecked": (
        "apismith",
        'Redocly could not check the example ("nullable" without "type"); apismith finds '
        "a genuine problem",
    ),
    "apismith-value-is-ref": (
        "apismith",
        'the example\'s value is {"$ref": ...} (a reference where a literal belongs): '
        "invalid read either way; Redocly could not check or did not flag it",
    ),
    "apismith-oneof-ambiguous": (
        "apismith",
        "the example matches more than one branch of a oneOf (schemas are open); "
        "Redocly's closed schemas let only one branch match",
    ),
    "apismith-schema-example": (
        "apismith",
        "a schema-level example: Redocly checks those under no-invalid-schema-examples",
    ),
    "apismith-missing-required": ("apismith", "a required field is missing from the example"),
    "apismith-enum-value": ("apismith", "a value is not one of the enum's values"),
    UNEXPLAINED: ("either", "no known reason: listed with pointers"),
}

REDOCLY_ERRORED = re.compile(r'"nullable" cannot be used without "type"')
REDOCLY_CLOSED = re.compile(r"unevaluated propert|must NOT have additional propert")
REDOCLY_ENUM = re.compile(r"must be equal to one of the allowed values")
REDOCLY_TAG = re.compile(r'\btag "[^"]*"|discriminator', re.IGNORECASE)
REDOCLY_BRANCH = re.compile(r"must match (a schema in anyOf|exactly one schema in oneOf)")
APISMITH_REQUIRED = re.compile(r"^example does not match its schema[^:]*: '[^']*' is required")
APISMITH_ENUM = re.compile(r" is not one of ")
APISMITH_ONE_OF = re.compile(r"matches more than one of the alternatives")


@dataclass(frozen=True, slots=True)
class Finding:
    """One tool's finding about one example: ``key`` is the example value's defining
    pointer, ``pointer`` where the tool said it failed, ``line`` the tool's line (1-based)."""

    tool: str
    key: str
    pointer: str
    rule: str
    message: str
    line: int | None
    site: str = ""
    errored: bool = False


@dataclass(slots=True)
class Example:
    """Every finding both tools made about one example, and its category."""

    key: str
    apismith: list[Finding] = field(default_factory=list)
    redocly: list[Finding] = field(default_factory=list)
    category: str = UNEXPLAINED

    @property
    def side(self) -> str:
        return CATEGORIES[self.category][0]


# -- JSON pointers ---------------------------------------------------------------------


def split(pointer: str) -> list[str]:
    """The unescaped segments of ``pointer`` (with or without a leading ``#``)."""
    text = pointer.removeprefix("#")
    if not text:
        return []
    return [part.replace("~1", "/").replace("~0", "~") for part in text.split("/")[1:]]


def join(segments: Iterable[str]) -> str:
    return "".join("/" + s.replace("~", "~0").replace("/", "~1") for s in segments)


def example_root(pointer: str) -> str | None:
    """The pointer of the example value that ``pointer`` lies in: up to ``example`` or
    ``examples/<name>/value`` (the first one that is not a property named so); None when
    there is none."""
    segments = split(pointer)
    for index, segment in enumerate(segments):
        before = segments[index - 1] if index else ""
        if before == "properties":
            continue
        if segment == "example" and before != "examples":
            return join(segments[: index + 1])
        if segment == "examples" and segments[index + 2 : index + 3] == ["value"]:
            return join(segments[: index + 3])
    return None


def resolve(document: Any, pointer: str, *, limit: int = 64) -> str:
    """``pointer`` with every local ``$ref`` met on the way followed: the pointer where
    the node it names is defined. Stops where the document ends (returning what is left
    appended as is)."""
    segments = split(pointer)
    path: list[str] = []
    node = document
    hops = 0
    index = 0
    while True:
        while isinstance(node, dict) and isinstance(node.get("$ref"), str) and hops < limit:
            ref = node["$ref"]
            if not ref.startswith("#"):
                break
            hops += 1
            path = split(ref)
            node = lookup(document, path)
        if index >= len(segments):
            return join(path)
        segment = segments[index]
        index += 1
        path.append(segment)
        if isinstance(node, dict):
            node = node.get(segment)
        elif isinstance(node, list) and segment.isdigit() and int(segment) < len(node):
            node = node[int(segment)]
        else:
            return join([*path, *segments[index:]])


def lookup(document: Any, segments: Sequence[str]) -> Any:
    node = document
    for segment in segments:
        if isinstance(node, dict):
            node = node.get(segment)
        elif isinstance(node, list) and segment.isdigit() and int(segment) < len(node):
            node = node[int(segment)]
        else:
            return None
    return node


def value_at(document: Any, pointer: str) -> Any:
    return lookup(document, split(pointer))


# -- reading each tool's report --------------------------------------------------------


def apismith_findings(report: Mapping[str, Any], document: Any) -> list[Finding]:
    """The ``example/*`` diagnostics of an ``apismith lint --format json`` report."""
    found: list[Finding] = []
    for item in report.get("diagnostics", []):
        rule = str(item.get("rule", ""))
        if not rule.startswith(APISMITH_PREFIX):
            continue
        pointer = str(item.get("pointer", ""))
        root = example_root(pointer)
        line = item.get("line")
        found.append(
            Finding(
                "apismith",
                resolve(document, root) if root else pointer,
                pointer,
                rule,
                str(item.get("message", "")),
                line if isinstance(line, int) and line > 0 else None,
                site=root or "",
            )
        )
    return found


def redocly_findings(
    report: Mapping[str, Any], document: Any, rules: frozenset[str] = REDOCLY_RULES
) -> list[Finding]:
    """The problems of a ``redocly lint --format json`` report under ``rules``."""
    found: list[Finding] = []
    for problem in report.get("problems", []):
        rule = str(problem.get("ruleId", ""))
        if rule not in rules:
            continue
        locations = problem.get("location") or [{}]
        where = locations[0]
        pointer = str(where.get("pointer", "")).removeprefix("#")
        root = example_root(pointer)
        start = where.get("start") or {}
        line = start.get("line")
        site = str((problem.get("from") or {}).get("pointer", "")).removeprefix("#")
        message = str(problem.get("message", ""))
        errored = bool(REDOCLY_ERRORED.search(message))
        # a refusal to check points at the schema: it stands for the media type or
        # parameter (``from``) and every example under it
        key = resolve(document, site) if errored and site else pointer
        found.append(
            Finding(
                "redocly",
                resolve(document, root) if root and not errored else key,
                pointer,
                rule,
                message,
                line if isinstance(line, int) else None,
                site=site,
                errored=errored,
            )
        )
    return found


# -- comparing -------------------------------------------------------------------------


def compare(
    ours: Sequence[Finding],
    theirs: Sequence[Finding],
    document: Any,
    schema_examples: Sequence[Finding] = (),
) -> list[Example]:
    """Group findings by example and give each example its category. Redocly's refusals
    to check ("errored") are not verdicts: an example only Redocly refused is not a
    disagreement unless apismith flags it. ``schema_examples`` are Redocly's findings under
    its schema-example rule, to tell apart schema-level examples it checks elsewhere."""
    examples: dict[str, Example] = {}
    for finding in ours:
        examples.setdefault(finding.key, Example(finding.key)).apismith.append(finding)
    for finding in theirs:
        examples.setdefault(finding.key, Example(finding.key)).redocly.append(finding)
    schema_keys = {finding.key for finding in schema_examples}
    unchecked = {finding.key for finding in theirs if finding.errored}
    owners = example_owners(document) if unchecked else {}
    for example in examples.values():
        sites = {resolve(document, f.site.rpartition("/example")[0]) for f in example.apismith}
        sites |= {resolve(document, owner) for owner in owners.get(example.key, ())}
        example.category = categorise(example, document, schema_keys, bool(sites & unchecked))
    return sorted(examples.values(), key=lambda e: (e.category, e.key))


def example_owners(document: Any) -> dict[str, set[str]]:
    """For each example value (its defining pointer), the media types, parameters and
    headers that hold it, directly or through ``$ref``."""
    owners: dict[str, set[str]] = defaultdict(set)
    stack: list[tuple[Any, list[str]]] = [(document, [])]
    while stack:
        node, path = stack.pop()
        if isinstance(node, dict):
            owner = join(path)
            if "example" in node and (not path or path[-1] != "properties"):
                owners[resolve(document, owner + "/example")].add(owner)
            named = node.get("examples")
            if isinstance(named, dict) and (not path or path[-1] != "properties"):
                for name in named:
                    value = join([*path, "examples", name, "value"])
                    owners[resolve(document, value)].add(owner)
            stack.extend((child, [*path, key]) for key, child in node.items())
        elif isinstance(node, list):
            stack.extend((child, [*path, str(i)]) for i, child in enumerate(node))
    return owners


def categorise(
    example: Example,
    document: Any,
    schema_keys: AbstractSet[str] = frozenset(),
    unchecked: bool = False,
) -> str:
    """The category of one example (see ``CATEGORIES``). ``unchecked``: Redocly refused
    to check the media type or parameter that holds it."""
    verdicts = [f for f in example.redocly if not f.errored]
    if example.apismith and verdicts:
        return AGREE
    if example.apismith:
        if any(
            isinstance(value_at(document, f.site), dict) and "$ref" in value_at(document, f.site)
            for f in example.apismith
        ):
            return "apismith-value-is-ref"
        if unchecked:
            return "apismith-redocly-unchecked"
        if is_schema_example(example.key) or example.key in schema_keys:
            return "apismith-schema-example"
        messages = [f.message for f in example.apismith]
        if any(APISMITH_ONE_OF.search(m) for m in messages):
            return "apismith-oneof-ambiguous"
        if any(APISMITH_REQUIRED.search(m) for m in messages):
            return "apismith-missing-required"
        if any(APISMITH_ENUM.search(m) for m in messages):
            return "apismith-enum-value"
        return UNEXPLAINED
    if not verdicts:
        return "redocly-cannot-check-nullable"
    for finding in verdicts:
        if REDOCLY_CLOSED.search(finding.message):
            return "redocly-closed-schemas"
        if REDOCLY_ENUM.search(finding.message) and value_at(document, finding.pointer) is None:
            return "redocly-null-in-nullable-enum"
        if REDOCLY_TAG.search(finding.message):
            return "redocly-discriminator"
        if REDOCLY_BRANCH.search(finding.message):
            return "redocly-anyof-branch"
    return UNEXPLAINED


def is_schema_example(key: str) -> bool:
    """True for an example written inside a schema (``.../schema/.../example`` or a
    component schema), not beside a media type or parameter."""
    segments = split(key)
    return "schema" in segments[:-1] or segments[:2] == ["components", "schemas"]


# -- reporting -------------------------------------------------------------------------


def side_label(category: str) -> str:
    side = CATEGORIES[category][0]
    return {
        "both": "agreement",
        "redocly": "Redocly only",
        "apismith": "apismith only",
    }.get(side, "one tool only")


def summary(examples: Sequence[Example], ours: Sequence[Finding]) -> dict[str, Any]:
    """Counts per category (examples and findings), and the line-number check."""
    counts: Counter[str] = Counter(example.category for example in examples)
    unexplained = [e for e in examples if e.category == UNEXPLAINED]
    return {
        "examples": len(examples),
        "categories": {
            name: {
                "side": side_label(name),
                "examples": counts[name],
                "apismith_findings": sum(len(e.apismith) for e in examples if e.category == name),
                "redocly_findings": sum(len(e.redocly) for e in examples if e.category == name),
                "explanation": CATEGORIES[name][1],
            }
            for name in CATEGORIES
            if counts[name]
        },
        "apismith_findings": len(ours),
        "apismith_findings_without_line": sum(1 for f in ours if f.line is None),
        "unexplained": [
            {
                "key": e.key,
                "apismith": [f.message for f in e.apismith][:3],
                "redocly": [f.message for f in e.redocly][:3],
            }
            for e in unexplained
        ],
    }


def markdown(data: Mapping[str, Any], *, listed: int = 20) -> str:
    """The differential as a Markdown table, with the unexplained pointers below it."""
    columns = ("", "category", "examples", "apismith findings", "Redocly findings", "why")
    lines = [row_line(columns), row_line(("---",) * len(columns))]
    for name, item in data["categories"].items():
        lines.append(
            row_line(
                (
                    item["side"],
                    name,
                    f"{item['examples']:,}",
                    f"{item['apismith_findings']:,}",
                    f"{item['redocly_findings']:,}",
                    item["explanation"],
                )
            )
        )
    missing = data["apismith_findings_without_line"]
    lines.append("")
    lines.append(
        f"{data['examples']:,} examples flagged by either tool; apismith findings: "
        f"{data['apismith_findings']:,}, "
        + (
            "every one with a line number."
            if not missing
            else f"{missing:,} without a line number."
        )
    )
    unexplained = data["unexplained"]
    if unexplained:
        lines.append(f"Unexplained ({len(unexplained)}):")
        for item in unexplained[:listed]:
            said = (item["apismith"] or item["redocly"] or [""])[0]
            lines.append(f"- `{item['key']}`: {said[:160]}")
        if len(unexplained) > listed:
            lines.append(f"- … {len(unexplained) - listed} more in the JSON")
    return "\n".join(lines) + "\n"


def details(examples: Sequence[Example]) -> list[dict[str, Any]]:
    """Every example with both tools' findings, for the JSON output."""
    return [
        {
            "key": e.key,
            "category": e.category,
            "apismith": [
                {"pointer": f.pointer, "line": f.line, "rule": f.rule, "message": f.message}
                for f in e.apismith
            ],
            "redocly": [
                {
                    "pointer": f.pointer,
                    "line": f.line,
                    "rule": f.rule,
                    "message": f.message,
                    "from": f.site,
                }
                for f in e.redocly
            ],
        }
        for e in examples
    ]


def differential(
    apismith_report: Mapping[str, Any], redocly_report: Mapping[str, Any], document: Any
) -> tuple[dict[str, Any], list[Example]]:
    """The summary (as ``summary`` gives it) and the grouped examples."""
    ours = apismith_findings(apismith_report, document)
    theirs = redocly_findings(redocly_report, document)
    schema = redocly_findings(redocly_report, document, frozenset({REDOCLY_SCHEMA_RULE}))
    examples = compare(ours, theirs, document, schema)
    return summary(examples, ours), examples


def load_json(text: str) -> Any:
    """A JSON report, tolerating text a tool printed before it (banners)."""
    start = text.find("{")
    return json.loads(text[start:] if start > 0 else text)

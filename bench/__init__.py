"""Benchmark harness behind ``make bench``: apismith against its peers, one run, one table.

Run from the repository root::

    python -m bench all            # or: lint, generate, scale, jsonl, mock, lint-diff, prepare
    python -m bench lint --quick   # one run per row, shorter time limit

Modules, one job each:

- ``cache``: where fetched inputs and installed peers live (outside the repository);
- ``inputs``: the specs that rows read (GitHub's, fetched with npm, its cuts, the shipped ones);
- ``peers``: the peer tools, installed into the cache, each in its own prefix;
- ``measure``: one run of one command: wall time, CPU time, peak RSS, exit code;
- ``runner``: the runs of a suite's rows, the tools on one input in rounds, and each
  row's result and note;
- ``suites``: which rows (tool, command, input) make up ``lint``, ``generate`` and ``scale``;
- ``report``: the Markdown table, ratios to apismith, JSON results;
- ``cli``: argument parsing and the order of the steps above;
- ``corpus``: ``python -m bench.corpus``, apismith on a fixed sample of real-world specs.
- ``extras``: suites that report more than timings: ``lint-diff`` (``lintdiff``),
  ``jsonl`` (``jsonl``) and ``mock`` (``mockbench``), with ``gotham`` for the example they send.
"""

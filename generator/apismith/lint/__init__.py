"""``lint``: every problem of a spec, each located by file, line, column and pointer.

Rule families, each in its own module:

- ``load/*``: the file cannot be read, or reads ambiguously (:mod:`apismith.load`);
- ``structure/*``: the OpenAPI 3.0/3.1 meta-schema (:mod:`apismith.structure`);
- ``ref/*``: references (:mod:`apismith.lint.references`);
- ``operation/*``: operation ids and parameters (:mod:`apismith.lint.operations`);
- ``example/*``: examples against their schemas (:mod:`apismith.lint.examples`);
- ``hygiene/*``: warnings (:mod:`apismith.lint.hygiene`).

:func:`apismith.lint.linter.lint_spec` runs them all. This package imports nothing
itself, so that generation, which runs only the reference and operation checks, does not
load the example validator.
"""

"""The layout is the data flow: no module imports from a layer above its own (docs/architecture.md)."""

from __future__ import annotations

import ast

import pytest

from tests.helpers import ROOT

CORE, EXTRACT, STORE, DEDUP = "pipeline.core", "pipeline.extract", "pipeline.store", "pipeline.dedup"
CRAWL, RECLEAN, CLI = "pipeline.crawl", "pipeline.reclean", "pipeline.cli"
DISTRIBUTED, SERVE = "pipeline.distributed", "pipeline.serve"
# package -> the packages (its own included) it may import from
ALLOWED = {
    "cleaners": {"cleaners"},
    CORE: {CORE},
    EXTRACT: {"cleaners", CORE, EXTRACT},
    STORE: {"cleaners", CORE, STORE},
    DEDUP: {"cleaners", CORE, STORE, DEDUP},
    CRAWL: {"cleaners", CORE, EXTRACT, STORE, DEDUP, CRAWL},
    RECLEAN: {CORE, EXTRACT, STORE, DEDUP, RECLEAN},
    "spiders": {"cleaners", CORE, EXTRACT, CRAWL, "spiders"},
    DISTRIBUTED: {"cleaners", CORE, EXTRACT, STORE, DEDUP, CRAWL, DISTRIBUTED},
    SERVE: {"cleaners", CORE, STORE, DEDUP, SERVE},
    CLI: {"cleaners", CORE, EXTRACT, STORE, DEDUP, CRAWL, RECLEAN, DISTRIBUTED, SERVE, CLI},
}
OURS = ("cleaners", "pipeline", "spiders")


def package_of(module: str) -> str | None:
    return next((p for p in sorted(ALLOWED, key=len, reverse=True) if module == p or module.startswith(p + ".")),
                None)


def modules():
    for folder in OURS:
        for path in sorted((ROOT / folder).rglob("*.py")):
            name = ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
            yield name, path


def imports(name: str, path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolve against this module's package
                package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
                base = package[: len(package) - node.level + 1]
                found.add(".".join([*base, node.module] if node.module else base))
            else:
                found.add(node.module)
    return {m for m in found if m.split(".")[0] in OURS}


@pytest.mark.parametrize("name, path", list(modules()), ids=lambda v: v if isinstance(v, str) else "")
def test_imports_only_from_its_own_layer_or_below(name, path):
    package = package_of(name)
    if package is None:  # pipeline/__init__.py: the overview docstring
        assert imports(name, path) == set()
        return
    wrong = {m for m in imports(name, path) if package_of(m) not in ALLOWED[package]}
    assert not wrong, f"{name} imports {sorted(wrong)} from above its layer"

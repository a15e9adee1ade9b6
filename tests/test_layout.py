"""The shape of the code: no import cycles, OR-Tools only in `cpsat/`, no import hidden in a
function, and every rule and goal with all of its faces."""

from __future__ import annotations

import ast
import dataclasses
from collections.abc import Iterator
from pathlib import Path

from curriculum import Catalog, Program
from curriculum.checks import CHECKS
from curriculum.cpsat.model import PlanModel
from curriculum.explain.relax import RELAXATIONS
from curriculum.explain.wording import WORDING
from curriculum.goals import MEASURES, SCORERS, Goal
from curriculum.inputs.program import Weights
from curriculum.rules import Rule
from tests.builders import ROOT

PACKAGE = ROOT / "src" / "curriculum"


def module_name(path: Path) -> str:
    """'src/curriculum/cpsat/model.py' -> 'curriculum.cpsat.model'."""
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def imports(path: Path) -> Iterator[tuple[str, bool]]:
    """Every module a file imports, and whether the import is at the top of the file (not
    inside a function, class or `if`)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    top = set(map(id, tree.body))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, id(node) in top
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module, id(node) in top
            for alias in node.names:  # `from curriculum.render import plots`: a module
                yield f"{node.module}.{alias.name}", id(node) in top


def graph() -> dict[str, set[str]]:
    """Module -> the curriculum modules it imports (anywhere in the file)."""
    return {
        name: {target for target, _ in imports(path) if target in MODULES and target != name}
        for name, path in MODULES.items()
    }


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan, iteratively)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in edges:
        if root in index:
            continue
        work = [(root, iter(sorted(edges[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is None:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    group = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        group.append(member)
                        if member == node:
                            break
                    if len(group) > 1:
                        found.append(sorted(group))
            elif child not in index:
                index[child] = low[child] = len(index)
                stack.append(child)
                on_stack.add(child)
                work.append((child, iter(sorted(edges[child]))))
            elif child in on_stack:
                low[node] = min(low[node], index[child])
    return found


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycles_inside_the_package() -> None:
    assert cycles(graph()) == []


def test_the_package_does_not_import_its_own_public_face() -> None:
    users = sorted(name for name, targets in graph().items() if "curriculum" in targets)
    assert users == []


def test_only_cpsat_imports_ortools() -> None:
    outside = sorted(
        name
        for name, path in MODULES.items()
        if not name.startswith("curriculum.cpsat")
        and any(target.split(".")[0] == "ortools" for target, _ in imports(path))
    )
    assert outside == []


def test_no_curriculum_import_is_hidden_in_a_function() -> None:
    hidden = sorted(
        f"{name} imports {target}"
        for name, path in MODULES.items()
        for target, at_top in imports(path)
        if target.startswith("curriculum") and not at_top
    )
    assert hidden == []


def test_every_rule_has_a_constraint_a_check_a_wording_and_a_relaxation(
    tiny_catalog: Catalog, one_week_program: Program
) -> None:
    plan_model = PlanModel(tiny_catalog, one_week_program)
    assert set(plan_model.constraints.rules) == set(Rule)
    assert set(CHECKS) == set(Rule)
    assert set(WORDING) == set(Rule)
    assert set(RELAXATIONS) == set(Rule)


def test_every_goal_has_a_term_a_scorer_a_weight_and_words(
    tiny_catalog: Catalog, one_week_program: Program
) -> None:
    plan_model = PlanModel(tiny_catalog, one_week_program)
    assert set(plan_model.objective.terms) == set(Goal)
    assert set(SCORERS) == set(Goal)
    assert set(MEASURES) == set(Goal)
    assert {field.name for field in dataclasses.fields(Weights)} == {goal.value for goal in Goal}

"""Shared blocks: fixture data built once for a run of tests rather than for each.

The page tree (site settings, home, catalogue, a course) and the reporting dataset
cost most of the suite's time when every test builds them again. A *shared fixture*
(registered here with :func:`shareable`) is built by the same builder either way:

- for a transactional test, or a test outside any block, the function fixture calls
  the builder inside the test's own transaction, as before;
- for the other database tests, the tests of one module that ask for the same set of
  shared fixtures run one after another (see :func:`order_items`), and the first of
  them opens a *block*: an outer transaction in which the builders run once. Each
  test then runs in its own savepoint inside it (pytest-django's usual transaction,
  nested) and is rolled back to the block's data, as Django's ``setUpTestData`` does.
  The block is rolled back after the last of those tests.

A test gets a deep copy of each built value (one copy per test, shared between its
fixtures, so ``dataset.moi is moi`` as before): whatever a test changes in memory or in
the database, the next test starts from the data as built. The database a test sees is
the one it would have built itself; only primary keys and the build time differ.
"""

from __future__ import annotations

import copy
import inspect
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest

# name -> (builder, names of the shared fixtures it is built from)
_BUILDERS: dict[str, tuple[Callable, tuple[str, ...]]] = {}
# Not worth a block on their own: a few rows each.
_LIGHT = {"site_settings", "moi", "mofa"}
_BLOCK_KEY = pytest.StashKey[frozenset]()
_LAST_OF_BLOCK = pytest.StashKey[bool]()
_COPIES = pytest.StashKey[dict]()


def shareable(name: str, *deps: str):
    """Register ``builder(*deps)`` as the way to build the shared value ``name``
    (unique in the suite: a test module's own prefix it with the module's name)."""

    def register(builder):
        _BUILDERS[name] = (builder, deps)
        return builder

    return register


def shared_fixture(name: str):
    """Mark a fixture function as the fixture for the shared value ``name``: it must
    return ``value(request, name, build)``."""

    def mark(function):
        function.shared_as = name
        return function

    return mark


@dataclass
class Block:
    key: frozenset
    module: str
    values: dict = field(default_factory=dict)
    atomics: list = field(default_factory=list)


class _State:
    block: Block | None = None
    # A transactional test ended with a flush: the migrations' data is gone.
    flushed = False
    # alias -> the migrated database as serialized by the test runner
    snapshots: dict = {}


state = _State()


# --- Which tests share ---------------------------------------------------------------


def _is_transactional(item) -> bool:
    from pytest_django.fixtures import validate_django_db

    marker = item.get_closest_marker("django_db")
    if marker is not None:
        transaction, reset_sequences, *_ = validate_django_db(marker)
        if transaction or reset_sequences:
            return True
    names = getattr(item, "fixturenames", ())
    return "transactional_db" in names or "live_server" in names


def _uses_db(item) -> bool:
    return item.get_closest_marker("django_db") is not None or "db" in getattr(
        item, "fixturenames", ()
    )


def block_key(item) -> frozenset:
    """The shared fixtures ``item`` would get from a block (empty: none)."""
    info = getattr(item, "_fixtureinfo", None)
    if info is None or not _uses_db(item) or _is_transactional(item):
        return frozenset()
    params = getattr(getattr(item, "callspec", None), "params", {})
    names = set()
    for name, definitions in info.name2fixturedefs.items():
        definition = definitions[-1]
        # pytest-django's own fixtures have no base id.
        outer = definition.scope != "function" and definition.baseid
        if outer and "django_db_blocker" in definition.argnames:
            # A module holds its own outer transaction (load_demo): leave it alone.
            return frozenset()
        if name in params:
            continue
        shared = getattr(inspect.unwrap(definition.func), "shared_as", None)
        if shared in _BUILDERS:
            names.add(shared)
    if not names - _LIGHT:
        return frozenset()
    return frozenset(names)


def order_items(items) -> None:
    """Within each module's run of tests (after pytest-django has put the
    transactional tests last), bring the tests with the same block key together,
    in the order the keys first appear; then note which test ends each block."""
    keys = {}
    for item in items:
        keys[item] = block_key(item)
        item.stash[_BLOCK_KEY] = keys[item]

    ordered = []
    start = 0
    while start < len(items):
        end = start
        module = items[start].module
        while end < len(items) and items[end].module is module:
            end += 1
        run = items[start:end]
        first_seen = {}
        for item in run:
            first_seen.setdefault(keys[item], len(first_seen))
        ordered.extend(sorted(run, key=lambda i: first_seen[keys[i]]))
        start = end
    items[:] = ordered

    for index, item in enumerate(items):
        following = items[index + 1] if index + 1 < len(items) else None
        item.stash[_LAST_OF_BLOCK] = (
            following is None
            or following.module is not item.module
            or keys[following] != keys[item]
        )


# --- Blocks --------------------------------------------------------------------------


def _aliases():
    from django.db import connections

    return list(connections)


def open_block(key: frozenset, module: str) -> Block:
    from django.db import transaction

    block = Block(key=key, module=module)
    for alias in _aliases():
        atomic = transaction.atomic(using=alias)
        atomic.__enter__()
        block.atomics.append((alias, atomic))
    state.block = block
    try:
        for name in sorted(key, key=_depth):
            _build(block, name)
    except BaseException:
        close_block()
        raise
    return block


def _depth(name: str) -> int:
    _, deps = _BUILDERS[name]
    return 1 + max((_depth(dep) for dep in deps), default=0)


def _build(block: Block, name: str):
    if name not in block.values:
        builder, deps = _BUILDERS[name]
        block.values[name] = builder(*(_build(block, dep) for dep in deps))
    return block.values[name]


def close_block() -> None:
    from django.db import transaction

    block, state.block = state.block, None
    if block is None:
        return
    for alias, atomic in reversed(block.atomics):
        transaction.set_rollback(True, using=alias)
        atomic.__exit__(None, None, None)


def value(request, name: str, build: Callable):
    """What the shared fixture ``name`` gives this test: a copy of the block's value
    when the test runs in a block holding it, otherwise what ``build()`` makes."""
    block = state.block
    node = request.node
    if block is None or name not in node.stash.get(_BLOCK_KEY, frozenset()):
        return build()
    copies = node.stash.setdefault(_COPIES, {"memo": {}, "values": {}})
    if name not in copies["values"]:
        copies["values"][name] = copy.deepcopy(block.values[name], copies["memo"])
    return copies["values"][name]


# --- Around each database test -------------------------------------------------------


def restore_migrated_data() -> None:
    """Put back what the migrations left (the roles, groups, Wagtail's root page and
    default site), which a transactional test's flush removed."""
    from django.db import connections

    for alias, contents in state.snapshots.items():
        if contents:
            connections[alias].creation.deserialize_db_from_string(contents)
    state.flushed = False


def before_test(item) -> None:
    key = item.stash.get(_BLOCK_KEY, frozenset())
    transactional = _is_transactional(item)
    block = state.block
    if block is not None and (block.key != key or block.module != _module_of(item)):
        close_block()
    if not transactional and state.flushed:
        restore_migrated_data()
    if key and state.block is None:
        open_block(key, _module_of(item))


def after_test(item) -> None:
    if _is_transactional(item):
        state.flushed = True
    if state.block is not None and item.stash.get(_LAST_OF_BLOCK, True):
        close_block()


def _module_of(item) -> str:
    return item.nodeid.split("::", 1)[0]

"""The emulator is a project of its own: it imports nothing from the collection it serves."""
import ast
import os

import rio_emulator

PACKAGE = os.path.dirname(os.path.abspath(rio_emulator.__file__))


def imported_modules(path):
    with open(path) as handle:
        tree = ast.parse(handle.read(), path)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            yield node.module


def test_no_module_imports_the_collection():
    sources = [os.path.join(PACKAGE, name) for name in sorted(os.listdir(PACKAGE)) if name.endswith(".py")]
    assert len(sources) > 10
    offending = ["%s: %s" % (os.path.basename(path), module) for path in sources for module in imported_modules(path)
                 if module.split(".")[0] in ("ansible_collections", "ansible", "plugins")]
    assert offending == []

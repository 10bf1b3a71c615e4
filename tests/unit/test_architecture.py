# Copyright: (c) 2026, rapyuta.rio contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause
"""docs/ARCHITECTURE.md and CONTRIBUTING.md name only files and code that exist.

The documents follow one convention for naming code (stated at the top of docs/ARCHITECTURE.md), so
that this test can be strict. Every inline code span (text in single backticks) is read as:

* a path: a word with a "/" that ends in a file suffix (``.py``, ``.md``, ``.yml``...) or in "/"
  (a folder); a file name without a "/" must be the name of some file of the repository. It is relative to the repository root or, for module_utils code, to
  ``plugins/module_utils/`` (``v1/api.py``). In a span with spaces (a command) every such word is one.
* ``name()`` or ``name(arg, key=...)``: a function, method or class of that name defined in the
  repository's Python code, whose parameters include every argument name given.
* ``Class.member`` or ``Class.member(...)``: a class of the repository and a method or attribute of it
  or of one of its base classes in the repository.
* ``stem.name`` or ``stem.name(...)``, where ``stem`` is the name of a Python file of the repository
  without ``.py``: a name that file defines at its top level (``constants.LIVE_PHASES``, ``wait.poll()``).
* ``path.py:name`` (optionally ``path.py:Class.member(...)``): the same, in exactly that file.
* a CamelCase word (``RioApi``): a class of the repository, or a name its code imports
  (``AnsibleModule``).

A word holding a placeholder (``<name>``, ``*``, ``...``) is not checked. Anything else in backticks
(options, values, environment variables, other software's names) is prose.
Every line of a fenced block marked ``tree`` starts with a path relative to the repository root, and
every relative Markdown link points at a file or folder that exists. The code is read with ``ast``:
nothing is imported.
"""

import ast
import builtins
import os
import re

import pytest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
DOCUMENTS = ("docs/ARCHITECTURE.md", "CONTRIBUTING.md")
CODE_FOLDERS = ("plugins", "emulator", "bench", "tools", "tests")
SKIPPED_FOLDERS = ("output", "__pycache__", ".collections", "node_modules")
PATH_BASES = ("", "plugins/module_utils")
PATH_SUFFIXES = (".py", ".md", ".yml", ".yaml", ".sh", ".json", ".toml", ".cfg", ".txt", ".html", ".rst", ".ini")

_PLACEHOLDER = re.compile(r"[<>*{}$\[\]]|\.\.\.")
_CALLABLE = re.compile(r"^([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)(?:\((.*)\))?$")
_CAMEL = re.compile(r"^[A-Z][a-z0-9]+[A-Z]\w*$")
_FENCE = re.compile(r"^\s*```\s*(\w*)")
_LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")


class Code:
    """Names defined in the repository's Python files, read with ast."""

    def __init__(self, root=ROOT):
        self.root = root
        self.modules = {}  # relative path -> {top-level name: node}
        self.classes = {}  # class name -> [(relative path, ClassDef)]
        self.functions = {}  # function name -> [FunctionDef] (top level and methods)
        self.imported = set()
        self.file_names = _file_names()
        for folder in CODE_FOLDERS:
            for directory, subdirs, files in os.walk(os.path.join(root, folder)):
                subdirs[:] = [name for name in subdirs if name not in SKIPPED_FOLDERS and not name.startswith(".")]
                for name in files:
                    if name.endswith(".py"):
                        self._read(os.path.relpath(os.path.join(directory, name), root))

    def _read(self, relative):
        with open(os.path.join(self.root, relative), encoding="utf-8") as handle:
            tree = ast.parse(handle.read(), relative)
        top = {}
        for node in tree.body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                top[node.name] = node
            elif isinstance(node, (ast.Assign, ast.AnnAssign)):
                for target in node.targets if isinstance(node, ast.Assign) else [node.target]:
                    if isinstance(target, ast.Name):
                        top[target.id] = node
        self.modules[relative] = top
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef):
                self.classes.setdefault(node.name, []).append((relative, node))
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                self.functions.setdefault(node.name, []).append(node)
            elif isinstance(node, (ast.Import, ast.ImportFrom)):
                self.imported.update((alias.asname or alias.name).split(".")[-1] for alias in node.names)

    def stems(self, stem):
        return [path for path in self.modules if os.path.basename(path) == stem + ".py"]

    def members(self, class_name, seen=None):
        """{member name: node} of a class and of its base classes found in the repository."""
        seen = seen if seen is not None else set()
        found = {}
        for _path, node in self.classes.get(class_name, []):
            for base in node.bases:
                base_name = base.attr if isinstance(base, ast.Attribute) else getattr(base, "id", None)
                if base_name in self.classes and base_name not in seen:
                    seen.add(base_name)
                    found.update(self.members(base_name, seen))
            for item in ast.walk(node):
                if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    found.setdefault(item.name, item)
                elif isinstance(item, (ast.Assign, ast.AnnAssign)):
                    for target in item.targets if isinstance(item, ast.Assign) else [item.target]:
                        if isinstance(target, ast.Name):
                            found.setdefault(target.id, item)
                        elif (isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name)
                              and target.value.id == "self"):
                            found.setdefault(target.attr, item)
        return found


def _parameters(node, code):
    """(parameter names, takes **kwargs, takes *args) of a function, or of a class's __init__."""
    if isinstance(node, ast.ClassDef):
        node = code.members(node.name).get("__init__")
        if node is None:
            return set(), False, False
    if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return None
    args = node.args
    names = set(arg.arg for arg in args.posonlyargs + args.args + args.kwonlyargs)
    return names, args.kwarg is not None, args.vararg is not None


def _split_arguments(text):
    parts, depth, current = [], 0, ""
    for char in text:
        if char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
        if char == "," and depth == 0:
            parts.append(current.strip())
            current = ""
        else:
            current += char
    if current.strip():
        parts.append(current.strip())
    return parts


def _signature_problem(node, arguments, code):
    """None when every argument name given is a parameter of node, else the reason."""
    if arguments is None or node is None:
        return None
    parameters = _parameters(node, code)
    if parameters is None:
        return "is not callable"
    names, any_keyword, any_positional = parameters
    for argument in _split_arguments(arguments):
        if argument in ("", "...") or argument.startswith("*"):
            continue
        name = argument.split("=", 1)[0].strip()
        if not re.match(r"^[A-Za-z_]\w*$", name):
            continue  # a value, not a parameter name
        keyword = "=" in argument
        if name in names or (keyword and any_keyword) or (not keyword and any_positional):
            continue
        return "has no parameter %r" % name
    return None


def _path_problem(word):
    candidates = [os.path.join(ROOT, base, word) for base in PATH_BASES]
    if any(os.path.isdir(path) if word.endswith("/") else os.path.isfile(path) for path in candidates):
        return None
    return "path %s does not exist" % word


def _file_names():
    names = set()
    for _directory, subdirs, files in os.walk(ROOT):
        subdirs[:] = [name for name in subdirs if name not in SKIPPED_FOLDERS and not name.startswith(".")]
        names.update(files)
    return names


def _looks_like_file_name(word):
    return "/" not in word and re.match(r"^[\w.\-]+$", word) is not None and word.endswith(PATH_SUFFIXES)


def _looks_like_path(word):
    return ("/" in word and not _PLACEHOLDER.search(word) and "://" not in word
            and re.match(r"^[\w.\-/]+$", word) is not None
            and (word.endswith("/") or word.endswith(PATH_SUFFIXES)))


def _symbol_problem(text, code):
    """None when a code span names existing code (or is prose), else what is wrong."""
    if ":" in text and text.split(":", 1)[0].endswith(".py"):
        path, symbol = text.split(":", 1)
        problem = _path_problem(path)
        if problem:
            return problem
        relative = next(os.path.normpath(os.path.join(base, path)) for base in PATH_BASES
                        if os.path.isfile(os.path.join(ROOT, base, path)))
        match = _CALLABLE.match(symbol)
        if not match:
            return "cannot read the symbol %r" % symbol
        parts, arguments = match.group(1).split("."), match.group(2)
        node = code.modules.get(relative, {}).get(parts[0])
        if node is None:
            return "%s defines no %s" % (path, parts[0])
        if len(parts) > 1:
            if not isinstance(node, ast.ClassDef):
                return "%s.%s: %s is not a class" % (path, symbol, parts[0])
            node = code.members(parts[0]).get(parts[1])
            if node is None:
                return "class %s has no member %s" % (parts[0], parts[1])
        problem = _signature_problem(node, arguments, code)
        return "%s %s" % (text, problem) if problem else None

    match = _CALLABLE.match(text)
    if not match:
        return None
    parts, arguments = match.group(1).split("."), match.group(2)
    if len(parts) == 1:
        name = parts[0]
        if arguments is not None:
            nodes = code.functions.get(name, []) + [node for _path, node in code.classes.get(name, [])]
            if not nodes:
                return "no function or class %s() in the code" % name
            problems = [_signature_problem(node, arguments, code) for node in nodes]
            if all(problems):
                return "%s %s" % (text, problems[0])
            return None
        if _CAMEL.match(name) and name not in code.classes and name not in code.imported and not hasattr(builtins, name):
            return "no class %s in the code (and the code imports no such name)" % name
        return None
    first, member = parts[0], parts[1]
    if first[0].isupper() and any(char.islower() for char in first):
        if first not in code.classes:
            return "no class %s in the code" % first
        node = code.members(first).get(member)
        if node is None:
            return "class %s has no member %s" % (first, member)
        problem = _signature_problem(node, arguments, code)
        return "%s %s" % (text, problem) if problem else None
    files = code.stems(first)
    if not files:
        return None  # not the repository's code (rapyuta.rio.rio_package, requests.Session)
    nodes = [code.modules[path][member] for path in files if member in code.modules[path]]
    if not nodes:
        return "no file %s.py defines %s" % (first, member)
    problems = [_signature_problem(node, arguments, code) for node in nodes]
    if all(problems):
        return "%s %s" % (text, problems[0])
    return None


def document_problems(text, code, where="document", directory=ROOT):
    """Every reference in a Markdown text to a path or a symbol that does not exist, as strings."""
    problems, checked = [], 0
    fence = None
    for number, line in enumerate(text.splitlines(), 1):
        label = "%s:%d" % (where, number)
        opening = _FENCE.match(line)
        if opening:
            fence = None if fence is not None else opening.group(1)
            continue
        if fence is not None:
            stripped = line.strip()
            if fence == "tree" and stripped and not stripped.startswith("#"):
                checked += 1
                word = stripped.split()[0]
                if not os.path.exists(os.path.join(ROOT, word)):
                    problems.append("%s: path %s does not exist" % (label, word))
            continue
        for target in _LINK.findall(line):
            if re.match(r"^[a-z]+:", target) or target.startswith("#"):
                continue
            checked += 1
            if not os.path.exists(os.path.normpath(os.path.join(directory, target.split("#", 1)[0]))):
                problems.append("%s: link target %s does not exist" % (label, target))
        for span in re.findall(r"`([^`]+)`", line):
            span = span.strip()
            words = span.split()
            symbol = _CALLABLE.match(span) or ".py:" in span
            if not symbol and (len(words) > 1 or _looks_like_path(span)):
                for word in words:
                    if _looks_like_path(word):
                        checked += 1
                        problem = _path_problem(word)
                        if problem:
                            problems.append("%s: %s" % (label, problem))
                continue
            if _looks_like_path(span):
                checked += 1
                problem = _path_problem(span)
                if problem:
                    problems.append("%s: %s" % (label, problem))
                continue
            if _looks_like_file_name(span):
                checked += 1
                if span not in code.file_names:
                    problems.append("%s: no file is named %s" % (label, span))
                continue
            problem = _symbol_problem(span, code)
            if symbol:
                checked += 1
            if problem:
                problems.append("%s: `%s`: %s" % (label, span, problem))
    return problems, checked


@pytest.fixture(scope="module")
def code():
    return Code()


@pytest.mark.parametrize("document", DOCUMENTS)
def test_every_path_and_symbol_named_exists(code, document):
    path = os.path.join(ROOT, document)
    with open(path, encoding="utf-8") as handle:
        problems, checked = document_problems(handle.read(), code, document, os.path.dirname(path))
    assert not problems, "\n".join(problems)
    assert checked >= 40, "%s names only %d paths and symbols: is the convention still followed?" % (document, checked)


@pytest.mark.parametrize("text", [
    "`RioApi.list_routed_networks()`",  # a method that does not exist
    "`RioApi.find_deployments(name, live_only=True)`",  # a parameter that does not exist
    "`find_deployments(name, live_only=True)`",
    "`plugins/module_utils/_api.py`",  # a file that moved
    "`v1/no_such_file.py`",
    "`NoSuchClassAnywhere`",
    "`no_such_function_anywhere()`",
    "`constants.NO_SUCH_CONSTANT`",
    "`v1/api.py:NoSuchName`",
    "`v1/api.py:RioApi.no_such_method()`",
    "`v1/wait.py:RioApi`",  # defined, but in another file
    "`make units && .venv/bin/python tools/no_such_tool.py`",
    "`no_such_file_anywhere.yml`",
    "[a link](no/such/file.md)",
    "```tree\nplugins/module_utils/no_such_folder/   made up\n```",
])
def test_a_made_up_name_fails(code, text):
    problems, _checked = document_problems(text, code)
    assert problems, "not caught: %s" % text


@pytest.mark.parametrize("text", [
    "`RioApi.find_network(kind, name)`",
    "`RioApi.find_deployments(name)`",
    "`ItemApi.find_network()`",  # inherited from RioApi
    "`RioClient.stats`",  # an attribute set in __init__
    "`v1/api.py`",
    "`plugins/module_utils/v1/`",
    "`constants.LIVE_PHASES`",
    "`wait.poll(fetch, classify, timeout)`",
    "`v1/api.py:RioApi.find_network(kind, name)`",
    "`AnsibleModule`",  # imported by the code
    "`rapyuta.rio.rio_deployment`",  # prose
    "`make units`",
    "`galaxy.yml`",
    "```tree\nplugins/module_utils/v1/api.py   typed calls\n```",
])
def test_a_true_name_passes(code, text):
    problems, _checked = document_problems(text, code)
    assert not problems, problems

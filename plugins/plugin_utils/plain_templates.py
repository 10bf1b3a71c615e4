# Copyright: (c) 2026, rapyuta.rio contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Templates that only put plain variables into plain text, rendered without ansible-core's engine.

ansible-core compiles a template every time it renders one, and a fleet renders the same texts
(from group_vars, from an inventory's keyed_groups) once per robot: ``talker-{{ inventory_hostname }}``
costs a Jinja compilation per robot. What is rendered here is what Jinja renders alike whatever runs
it: plain text around ``{{ name }}``, ``{{ name.key }}`` or ``{{ mapping[name.key] }}`` that name
plain text values (``[\\w .:/@+-]``, not ``True``, ``False``, ``None``, which ansible-core 2.18 reads
as literals), in variables whose own templates are of this kind too (2.18 renders a whole variable
before reading a key of it). Everything else (filters, tests, whitespace control, a missing key, a
key that is also an attribute, a value that is not plain text, an untrusted template) is left to
ansible-core: the functions answer NOT_LOOKED_UP.
"""

import functools
import re

# ansible-core 2.18 leaves a mapping's values under these keys (inventory_hostname, groups, ...) unrendered.
from ansible.constants import INTERNAL_STATIC_VARS

try:  # ansible-core 2.19+: only a trusted string is rendered
    from ansible.template import is_trusted_as_template
except ImportError:  # ansible-core 2.18: every string but an unsafe one
    def is_trusted_as_template(value):
        return isinstance(value, str) and not hasattr(value, "__UNSAFE__")

NOT_LOOKED_UP = object()
NAME = r"[A-Za-z_]\w*"
DOTTED = r"%s(?:\.%s)*" % (NAME, NAME)
PATH = r"%s(?:\.%s|\[%s\])*" % (NAME, NAME, DOTTED)
# An expression that only names a (nested) variable; the same between {{ and }} in a template.
VARIABLE_PATH = re.compile(r"\s*(%s)\s*" % PATH, re.ASCII)
PLACEHOLDER = re.compile(r"\{\{ *(%s) *\}\}" % PATH, re.ASCII)
SEGMENT = re.compile(r"\.?(%s)|\[(%s)\]" % (NAME, DOTTED), re.ASCII)
PLAIN_TEXT = re.compile(r"[\w .:/@+-]*")
LITERALS = ("True", "False", "None")
# Names Jinja reads as constants, operators or its own objects, never as a variable.
JINJA_NAMES = frozenset(("true", "false", "none", "True", "False", "None", "and", "or", "not", "in", "is",
                         "if", "else", "self", "loop", "varargs", "kwargs", "caller"))
SCALARS = (bool, int, float, type(None))
# Variables naming variables that hold templates, as deep as this; deeper (or a loop) is ansible-core's.
MAX_DEPTH = 8


def possibly_template(text):
    return "{{" in text or "{%" in text or "{#" in text or text.startswith("#jinja2:")


def _plain(value):
    return isinstance(value, str) and value not in LITERALS and PLAIN_TEXT.fullmatch(value) is not None


@functools.lru_cache(maxsize=1024)
def _path(path):
    """A path's name and its steps (("attribute", name) or ("key", path)), or None when Jinja could read it otherwise."""
    segments = SEGMENT.findall(path)
    name = segments[0][0]
    # ansible_*: facts as variables, whose reading ansible-core may warn about; groups: never plain text.
    if name in JINJA_NAMES or name.startswith("ansible_") or name == "groups":
        return None
    steps = []
    for attribute, key_path in segments[1:]:
        if attribute:
            if attribute in JINJA_NAMES or attribute.startswith("_"):
                return None
            steps.append(("attribute", attribute))
        else:
            key = _path(key_path)
            if key is None:
                return None
            steps.append(("key", key))
    return name, tuple(steps)


@functools.lru_cache(maxsize=1024)
def _template(template):
    """The plain texts and the paths between them of a template, or None when it is not of that kind."""
    parts = PLACEHOLDER.split(template)
    texts, paths = tuple(parts[::2]), tuple(_path(path) for path in parts[1::2])
    if not all(PLAIN_TEXT.fullmatch(text) for text in texts) or None in paths:
        return None
    return texts, paths


def _path_value(path, variables, depth):
    """The value at a path of _path() in variables, or NOT_LOOKED_UP when Jinja could read it otherwise."""
    name, steps = path
    if name not in variables:
        return NOT_LOOKED_UP
    # ansible-core 2.18 renders the whole variable before reading a key of it.
    value = templated(variables[name], variables, depth + 1)
    for kind, step in steps:
        if not isinstance(value, dict):  # NOT_LOOKED_UP too
            return NOT_LOOKED_UP
        if kind == "attribute":
            if hasattr(value, step):  # Jinja reads an attribute first (rio_labels.items is the dict's method)
                return NOT_LOOKED_UP
            key = step
        else:
            key = _path_value(step, variables, depth)
            if not _plain(key):
                return NOT_LOOKED_UP
        if key not in value:
            return NOT_LOOKED_UP
        value = value[key]
    return value


def looked_up(expression, variables):
    """The value of an expression that only names a (nested) variable, or NOT_LOOKED_UP."""
    match = VARIABLE_PATH.fullmatch(expression) if is_trusted_as_template(expression) else None
    path = _path(match.group(1)) if match else None
    value = NOT_LOOKED_UP if path is None else _path_value(path, variables, 0)
    return value if _plain(value) else NOT_LOOKED_UP


def _rendered(template, variables, depth):
    if not possibly_template(template):
        return template
    parsed = _template(template) if depth <= MAX_DEPTH and is_trusted_as_template(template) else None
    if parsed is None:
        return NOT_LOOKED_UP
    texts, paths = parsed
    values = [_path_value(path, variables, depth) for path in paths]
    if not all(_plain(value) for value in values):
        return NOT_LOOKED_UP
    if texts == ("", ""):
        return values[0]
    text = "".join(text + value for text, value in zip(texts, values + [""], strict=True))
    return text if _plain(text) else NOT_LOOKED_UP


def templated(value, variables, depth=0):
    """A host variable's value (string, number, mapping, list) with its templates rendered, or NOT_LOOKED_UP."""
    if isinstance(value, str):
        return _rendered(value, variables, depth)
    if isinstance(value, SCALARS):
        return value
    if isinstance(value, dict):
        result = {}
        for key, inner in value.items():
            if not isinstance(key, str) or possibly_template(key) or key in INTERNAL_STATIC_VARS:
                return NOT_LOOKED_UP
            result[key] = templated(inner, variables, depth)
            if result[key] is NOT_LOOKED_UP:
                return NOT_LOOKED_UP
        return result
    if isinstance(value, list):
        result = [templated(inner, variables, depth) for inner in value]
        return NOT_LOOKED_UP if any(inner is NOT_LOOKED_UP for inner in result) else result
    return NOT_LOOKED_UP

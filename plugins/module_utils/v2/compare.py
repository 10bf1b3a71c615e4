# Copyright: (c) 2026, rapyuta.rio contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause
"""Field-level comparison of two comparable v2 forms (``v2/normalize.py``). FOR INTERNAL COLLECTION USE ONLY.

Only what the document declares is compared: a mapping's keys that the desired side has, and, for
a list, the whole list. A field the server added that the document leaves out is not drift. Lists
of named things (executables, environment variables, endpoints, envArgs...) are matched by name,
so a path reads ``spec.executables[talker].docker.image`` and an item added or removed on either
side is one difference.
"""

from ansible_collections.rapyuta.rio.plugins.module_utils.v2.documents import shown


def _named(items):
    """True for a list of mappings each with a distinct string ``name``."""
    if not isinstance(items, list) or not items:
        return False
    names = [element.get("name") if isinstance(element, dict) else None for element in items]
    return all(isinstance(name, str) for name in names) and len(set(names)) == len(names)


def _by_name(items):
    return dict((element["name"], element) for element in items)


def _walk(desired, live, path, out):
    if isinstance(desired, dict) and isinstance(live, dict):
        for key in desired:
            child = "%s.%s" % (path, key) if path else key
            if key not in live:
                out.append((child, None, desired[key]))
            else:
                _walk(desired[key], live[key], child, out)
        return
    if isinstance(desired, list) and isinstance(live, list) and _named(desired) and (_named(live) or not live):
        live_by_name = _by_name(live) if live else {}
        for element in desired:
            child = "%s[%s]" % (path, element["name"])
            if element["name"] not in live_by_name:
                out.append((child, None, element))
            else:
                _walk(element, live_by_name[element["name"]], child, out)
        declared = set(_by_name(desired))
        for element in live:
            if element["name"] not in declared:
                out.append(("%s[%s]" % (path, element["name"]), element, None))
        return
    if desired != live:
        out.append((path or "$", live, desired))


def diff(desired, live):
    """The differing declared fields: ``[(path, before, after)]``, before = live (None: absent), after = desired."""
    out = []
    _walk(desired, live or {}, "", out)
    return out


def _projected(live, desired):
    if isinstance(desired, dict) and isinstance(live, dict):
        return dict((key, _projected(live[key], desired[key])) for key in desired if key in live)
    if isinstance(desired, list) and isinstance(live, list) and _named(desired) and _named(live):
        desired_by_name = _by_name(desired)
        return [_projected(element, desired_by_name[element["name"]]) if element["name"] in desired_by_name else element
                for element in live]
    return live


def diff_pair(desired, live):
    """``{"before": ..., "after": ...}`` for Ansible's --diff: the live object cut to what is declared, and the desired.

    A converged object gives equal sides; an absent one (``live`` None) an empty before.
    """
    return {"before": _projected(live, desired) if live is not None else {}, "after": desired}


def describe(differences):
    """One line per difference: ``spec.device.arch: 'amd64' -> 'arm64v8'`` (absent shown as such)."""
    return ["%s: %s -> %s" % (path, "(absent)" if before is None else shown(before),
                              "(absent)" if after is None else shown(after))
            for path, before, after in differences]

# Copyright: (c) 2026, rapyuta.rio contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause
"""Dependency order of a set of v2 documents, as ``rio apply`` and ``rio delete`` have it. FOR INTERNAL COLLECTION USE ONLY.

``rio apply`` keys its graph ``package:<name>:<version>``, ``<kind>:<name>`` and applies a node
after everything it references (docs/reference/v2-api.md#manifest-dependency-order): a package
after its pull secrets, a deployment after its package, the deployments of ``spec.depends``, its
networks, disks, static routes and device. The references the platform resolves as well are
ordered too: secrets of ``valueFrom.secretKeyRef`` and the config trees of
``features.params.trees``. A reference to an object the set does not hold is allowed (it may exist
on the server, and devices never are in a set); ``external_references()`` lists them so a caller
can check them. Deletion runs the same levels backwards and keeps the documents labelled
``rapyuta.io/deletionPolicy: retain``.
"""

from ansible_collections.rapyuta.rio.plugins.module_utils.v2.documents import (
    DEPLOYMENT,
    NETWORK,
    PACKAGE,
    SECRET,
    ManifestError,
    Problem,
    object_key,
)


def _get(mapping, *keys):
    for key in keys:
        mapping = mapping.get(key) if isinstance(mapping, dict) else None
    return mapping


def _entries(mapping, *keys):
    items = _get(mapping, *keys)
    return [(index, element) for index, element in enumerate(items) if isinstance(element, dict)] \
        if isinstance(items, list) else []


def _named(out, path, kind, reference, version=None):
    name = _get(reference, "nameOrGUID") or _get(reference, "nameOrGuid")
    if isinstance(name, str) and name:
        out.append((path, object_key(kind, name, version)))


def _secret_refs(out, items, path):
    for index, element in items:
        name = _get(element, "valueFrom", "secretKeyRef", "name")
        if isinstance(name, str) and name:
            out.append(("%s[%d].valueFrom.secretKeyRef" % (path, index), object_key(SECRET, name)))


def references(document):
    """What the document refers to: ``[(path, key)]``, key as in ``Document.key``; devices included."""
    body = document.clean if document.clean is not None else document.body
    spec = _get(body, "spec")
    out = []
    if document.kind == PACKAGE:
        for index, executable in _entries(spec, "executables"):
            _named(out, "spec.executables[%d].docker.pullSecret.depends" % index, SECRET,
                   _get(executable, "docker", "pullSecret", "depends"))
        _secret_refs(out, _entries(spec, "environmentVars"), "spec.environmentVars")
    elif document.kind == DEPLOYMENT:
        package = _get(body, "metadata", "depends")
        _named(out, "metadata.depends", PACKAGE, package, _get(package, "version"))
        for index, dependency in _entries(spec, "depends"):
            _named(out, "spec.depends[%d]" % index, DEPLOYMENT, dependency)
        _named(out, "spec.device.depends", "device", _get(spec, "device", "depends"))
        for field, kind in (("rosNetworks", "network"), ("volumes", "disk"), ("staticRoutes", "staticroute")):
            for index, entry in _entries(spec, field):
                _named(out, "spec.%s[%d].depends" % (field, index), kind, _get(entry, "depends"))
        _secret_refs(out, _entries(spec, "envArgs"), "spec.envArgs")
        trees = _get(spec, "features", "params", "trees")
        for index, tree in enumerate(trees if isinstance(trees, list) else []):
            if isinstance(tree, str) and tree:
                out.append(("spec.features.params.trees[%d]" % index, object_key("configtree", tree)))
    elif document.kind in (NETWORK, SECRET):
        _named(out, "spec.depends", "device", _get(spec, "depends"))
    return out


def _by_key(documents):
    found = {}
    for document in documents:
        found.setdefault(document.key, document)
    return found


def external_references(documents):
    """References to objects the set does not hold: ``[(document, path, key)]`` in document order."""
    held = _by_key(documents)
    return [(document, path, key) for document in documents for path, key in references(document) if key not in held]


def dependents(documents, document):
    """The documents of the set that refer to ``document``, in document order."""
    return [other for other in documents if other is not document
            and any(key == document.key for _path, key in references(other))]


def _cycle(remaining, edges):
    """One cycle among the documents left when no level can be formed, as a list of documents.

    Each document left refers to another one left (else it would have formed a level), so
    following those references from any of them must come back to one already seen.
    """
    left = set(id(document) for document in remaining)
    current = remaining[0]
    path = [current]
    seen = {id(current): 0}
    while True:
        current = next(other for other in edges[id(current)] if id(other) in left)
        if id(current) in seen:
            return path[seen[id(current)]:] + [current]
        seen[id(current)] = len(path)
        path.append(current)


def apply_levels(documents):
    """The documents in levels: each level only after the ones before; within a level, document order.

    Raises ManifestError naming the documents of a dependency cycle.
    """
    held = _by_key(documents)
    edges = {}
    for document in documents:
        needed = []
        for _path, key in references(document):
            other = held.get(key)
            if other is not None and other not in needed:
                needed.append(other)
        edges[id(document)] = needed
    done = set()
    levels = []
    remaining = list(documents)
    while remaining:
        level = [document for document in remaining if all(id(other) in done for other in edges[id(document)])]
        if not level:
            cycle = _cycle(remaining, edges)
            raise ManifestError([Problem(cycle[0], None, "is part of a dependency cycle: %s"
                                         % " -> ".join(document.label for document in cycle))])
        levels.append(level)
        done.update(id(document) for document in level)
        remaining = [document for document in remaining if id(document) not in done]
    return levels


def apply_order(documents):
    """The documents in one list, dependencies first."""
    return [document for level in apply_levels(documents) for document in level]


def delete_levels(documents):
    """Levels for deletion: dependents first (the apply levels backwards)."""
    return list(reversed(apply_levels(documents)))


def delete_order(documents):
    """Deletion order without the retained documents, and the retained ones: ``(to_delete, retained)``."""
    ordered = [document for level in delete_levels(documents) for document in level]
    return [document for document in ordered if not document.retained], [document for document in ordered if document.retained]

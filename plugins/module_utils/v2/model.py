# Copyright: (c) 2026, rapyuta.rio contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause
"""DocumentModel: the v2 document model in one object, on plain dicts. FOR INTERNAL COLLECTION USE ONLY.

An applier works with wire bodies (dicts): ``DocumentModel.load()`` validates the documents and
returns their wire bodies, and everything after (comparable forms, differences, order) takes
those bodies or live objects, so the applier never needs the Document objects of
``v2/documents.py``.
"""

from ansible_collections.rapyuta.rio.plugins.module_utils.v2 import compare, normalize, order
from ansible_collections.rapyuta.rio.plugins.module_utils.v2.documents import Document, load_sources
from ansible_collections.rapyuta.rio.plugins.module_utils.v2.validation import validate_documents


def _documents(bodies):
    return [Document(index, body) for index, body in enumerate(bodies, 1)]


class DocumentModel:
    """Load, compare and order v2 documents; every method takes and returns plain dicts."""

    def load(self, definition=None, paths=()):
        """``(bodies, warnings)``: the wire bodies of the documents in the order given, and warning lines.

        Raises ManifestError naming every problem of every document.
        """
        documents = load_sources(definition, paths)
        warnings = validate_documents(documents)
        return [normalize.wire_body(document) for document in documents], [str(warning) for warning in warnings]

    def comparable(self, obj):
        """The comparable form of a wire body or a live object (its ``kind`` says which rules apply)."""
        return normalize.comparable(obj.get("kind"), obj)

    def differences(self, desired, live):
        """``[{"path", "before", "after"}]`` between two comparable forms, declared fields only."""
        return [{"path": path, "before": before, "after": after} for path, before, after in compare.diff(desired, live)]

    def diff_pair(self, desired, live):
        return compare.diff_pair(desired, live)

    def order(self, bodies):
        """The bodies in apply order (dependencies first); ManifestError on a cycle."""
        documents = _documents(bodies)
        return [document.body for document in order.apply_order(documents)]

    def delete_order(self, bodies):
        """``(to_delete, retained)``: the bodies in delete order, and those labelled to be kept."""
        to_delete, retained = order.delete_order(_documents(bodies))
        return [document.body for document in to_delete], [document.body for document in retained]

    def external_references(self, bodies):
        """References to objects outside the set: ``[{"document", "path", "kind", "name", "version"}]``."""
        found = []
        for document, path, key in order.external_references(_documents(bodies)):
            found.append({"document": document.label, "path": path, "kind": key[0], "name": key[1],
                          "version": key[2] if len(key) > 2 else None})
        return found

# Copyright: (c) 2026, rapyuta.rio contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause
"""v2 manifest documents: loading, identity, the vocabulary of their fields. FOR INTERNAL COLLECTION USE ONLY.

The documents are those ``rio apply`` takes (docs/reference/v2-api.md#manifests): Kubernetes-style
objects ``{apiVersion, kind, metadata, spec}`` given as one mapping, a list of them, or YAML/JSON
text holding several documents separated by ``---``. Every message about a document names it the
same way, ``document 3 (Deployment talker-robot-1)``, counted from 1 in the order given, so a
user finds it in a file of many.

Validation is in ``v2/validation.py``, the wire and comparable forms in ``v2/normalize.py``.
"""

import copy
import importlib.util
import json
import os

from ansible_collections.rapyuta.rio.plugins.module_utils.transport.client import RioError

API_VERSIONS = ("api.rapyuta.io/v2", "apiextensions.rapyuta.io/v1")
DEFAULT_API_VERSION = "api.rapyuta.io/v2"

PACKAGE = "Package"
DEPLOYMENT = "Deployment"
NETWORK = "Network"
DISK = "Disk"
STATIC_ROUTE = "StaticRoute"
SECRET = "Secret"
CONFIG_TREE = "ConfigTree"
KINDS = (PACKAGE, DEPLOYMENT, NETWORK, DISK, STATIC_ROUTE, SECRET, CONFIG_TREE)
# Kinds a document may refer to without the set being able to hold them (devices are v1 objects).
DEVICE = "Device"

RUNTIMES = ("cloud", "device")
ARCHITECTURES = ("amd64", "arm32v7", "arm64v8")
RESTART_POLICIES = ("always", "never", "onfailure")
ROS_DISTROS = ("kinetic", "melodic", "noetic", "foxy")
EXECUTABLE_TYPES = ("docker", "preInstalled")
PULL_POLICIES = ("Always", "IfNotPresent", "Never")
ENDPOINT_TYPES = ("external-http", "external-https", "external-tls-tcp", "internal-tcp", "internal-udp",
                  "internal-tcp-range", "internal-udp-range")
RANGE_ENDPOINT_TYPES = ("internal-tcp-range", "internal-udp-range")
ROS_ENDPOINT_TYPES = ("topic", "service", "action")
ROS_QOS = ("low", "med", "hi", "max")
NETWORK_TYPES = ("routed", "native")
SECRET_TYPES = ("Docker", "Opaque")
DOCKER_HUB_REGISTRY = "https://index.docker.io/v1/"

# The label `rio delete` honours: such objects are kept when their manifests are deleted.
DELETION_POLICY_LABEL = "rapyuta.io/deletionPolicy"
RETAIN = "retain"


def _missing(name):
    return None if importlib.util.find_spec(name) is not None else "No module named '%s'" % name


# PyYAML is imported when first used (as in v1/manifest.py); only its presence is recorded here.
YAML_IMPORT_ERROR = _missing("yaml")
HAS_YAML = YAML_IMPORT_ERROR is None


class Problem:
    """One thing wrong with one document: where (``path`` in the document) and what."""

    def __init__(self, document, path, message):
        self.document = document
        self.path = path
        self.message = message

    def __str__(self):
        where = self.document.label if self.document is not None else "manifest"
        if self.path:
            return "%s: %s: %s" % (where, self.path, self.message)
        return "%s: %s" % (where, self.message)

    def __repr__(self):
        return "Problem(%r)" % str(self)


class ManifestError(RioError):
    """Documents that cannot be used. ``problems`` lists every one found, in document order."""

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__("; ".join(str(problem) for problem in self.problems))


def shown(value, limit=80):
    """A value as a message quotes it: repr, cut when long."""
    text = repr(value)
    return text if len(text) <= limit else text[:limit - 3] + "..."


class Document:
    """One manifest document as given (``body``) and, once validated, its checked form (``clean``)."""

    def __init__(self, index, body):
        self.index = index
        self.body = body
        self.clean = None
        self.warnings = []

    @property
    def kind(self):
        kind = self.body.get("kind") if isinstance(self.body, dict) else None
        return kind if isinstance(kind, str) else None

    @property
    def metadata(self):
        metadata = self.body.get("metadata") if isinstance(self.body, dict) else None
        return metadata if isinstance(metadata, dict) else {}

    @property
    def name(self):
        name = self.metadata.get("name")
        return name if isinstance(name, str) and name else None

    @property
    def version(self):
        version = self.metadata.get("version")
        return version if isinstance(version, str) and version else None

    @property
    def labels(self):
        labels = self.metadata.get("labels")
        return labels if isinstance(labels, dict) else {}

    @property
    def label(self):
        """How messages name the document: ``document 3 (Deployment talker-robot-1)``."""
        if self.kind and self.name:
            return "document %d (%s %s)" % (self.index, self.kind, self.name)
        if self.kind:
            return "document %d (%s)" % (self.index, self.kind)
        return "document %d" % self.index

    @property
    def key(self):
        """The identity within a set, as ``rio apply`` keys its graph: a package by name and version."""
        return object_key(self.kind, self.name, self.version)

    @property
    def retained(self):
        """True when the document asks `rio delete` to keep the object."""
        return self.labels.get(DELETION_POLICY_LABEL) == RETAIN

    def __repr__(self):
        return "<%s>" % self.label


def object_key(kind, name, version=None):
    """('package', name, version) for a package, (kind in lower case, name) otherwise."""
    kind = (kind or "").lower()
    if kind == "package":
        return (kind, name, version)
    return (kind, name)


def key_text(key):
    """('package', 'talker', 'v1') -> 'Package talker v1' for messages."""
    names = dict((kind.lower(), kind) for kind in KINDS + (DEVICE,))
    return " ".join([names.get(key[0], key[0])] + [str(part) for part in key[1:] if part is not None])


# -- loading ---------------------------------------------------------------------------------------
def _bodies(data):
    """Documents of one parsed unit: a mapping is one, a list holds several, empty ones are skipped."""
    if data is None:
        return []
    if isinstance(data, list):
        found = []
        for item in data:
            found.extend(_bodies(item) if isinstance(item, list) else ([] if item is None else [item]))
        return found
    return [data]


def parse_documents(text, source="manifest"):
    """JSON or YAML text (several YAML documents allowed) -> the list of document bodies."""
    try:
        return _bodies(json.loads(text))
    except ValueError as json_error:
        if not HAS_YAML:
            raise ManifestError([Problem(None, None, "%s is not valid JSON (%s), and PyYAML is not installed to read YAML"
                                         % (source, json_error))])
    import yaml  # lazy: see YAML_IMPORT_ERROR

    try:
        return _bodies(list(yaml.safe_load_all(text)))
    except yaml.YAMLError as yaml_error:
        raise ManifestError([Problem(None, None, "%s is neither JSON nor YAML: %s" % (source, yaml_error))])


def read_documents_file(path):
    """The document bodies of a JSON or YAML file."""
    try:
        with open(path, "rb") as handle:
            text = handle.read().decode("utf-8")
    except OSError as exc:
        where = path if os.path.isabs(path) else "%s (%s)" % (path, os.path.abspath(path))
        raise ManifestError([Problem(None, None, "cannot read manifest file %s: %s"
                                     % (where, getattr(exc, "strerror", None) or exc))])
    except UnicodeDecodeError as exc:
        raise ManifestError([Problem(None, None, "manifest file %s is not UTF-8 text: %s" % (path, exc))])
    return parse_documents(text, source="manifest file %s" % path)


def load_documents(source, first_index=1):
    """Documents from a mapping, a list of mappings, or JSON/YAML text; numbered from ``first_index``.

    The bodies are copied, so later normalization never changes what the caller passed. A body
    that is not a mapping still becomes a Document (validation reports it with its number).
    """
    if isinstance(source, (dict, list)):
        bodies = _bodies(copy.deepcopy(source))
    elif isinstance(source, str):
        bodies = parse_documents(source)
    else:
        raise ManifestError([Problem(None, None, "manifests must be a mapping, a list or text, got %s"
                                     % type(source).__name__)])
    return [Document(first_index + offset, body) for offset, body in enumerate(bodies)]


def load_sources(definition=None, paths=()):
    """The documents of an inline ``definition`` followed by those of each file, numbered in one run."""
    documents = []
    if definition is not None:
        documents.extend(load_documents(definition))
    for path in paths:
        for body in read_documents_file(path):
            documents.append(Document(len(documents) + 1, body))
    return documents

"""The vendor's Package and Deployment JSON schemas, as shipped inside the installed riocli wheel,
accept every manifest the v2 suites use (docs/reference/v2-api.md#vendor-schemas-and-models). The schemas are read
from site-packages, never copied into this repository."""
import copy
import os

import jsonschema
import pytest

from .harness import (MANIFEST_DIR, ONLINE_ROBOTS, load_documents, manifest_files, robot_documents, vendor_schema_dir,
                      vendor_validator)

CHECKED_KINDS = ("Package", "Deployment")


def _manifest_documents():
    documents = []
    for path in manifest_files():
        for index, doc in enumerate(load_documents(path)):
            documents.append(("%s[%d]" % (os.path.relpath(path, MANIFEST_DIR), index), doc))
    for doc in robot_documents(ONLINE_ROBOTS + ("robot-0200",)):
        documents.append(("generated %s" % doc["metadata"]["name"], doc))
    return documents


DOCUMENTS = _manifest_documents()


def test_schemas_come_from_the_installed_wheel():
    directory = vendor_schema_dir()
    assert os.sep + "site-packages" + os.sep in directory, directory
    for kind in CHECKED_KINDS:
        assert os.path.isfile(os.path.join(directory, "%s-schema.yaml" % kind.lower()))


def test_every_kind_of_the_set_is_present():
    kinds = {doc["kind"] for _, doc in DOCUMENTS}
    assert {"Secret", "Disk", "Network", "StaticRoute", "Package", "Deployment"} <= kinds, kinds
    runtimes = {(doc["kind"], doc["spec"]["runtime"]) for _, doc in DOCUMENTS if doc["kind"] in CHECKED_KINDS}
    assert runtimes == {(kind, runtime) for kind in CHECKED_KINDS for runtime in ("cloud", "device")}, runtimes


@pytest.mark.parametrize("where,doc", [d for d in DOCUMENTS if d[1]["kind"] in CHECKED_KINDS],
                         ids=[d[0] for d in DOCUMENTS if d[1]["kind"] in CHECKED_KINDS])
def test_vendor_schema_accepts_manifest(where, doc):
    errors = sorted(vendor_validator(doc["kind"]).iter_errors(copy.deepcopy(doc)), key=str)
    assert not errors, "%s: %s" % (where, "; ".join("%s: %s" % (list(e.absolute_path), e.message) for e in errors))


@pytest.mark.parametrize("kind,breakage", [
    ("Package", lambda doc: doc["spec"].__setitem__("runtime", "moon")),
    ("Package", lambda doc: doc["metadata"].pop("version")),
    ("Deployment", lambda doc: doc["metadata"].pop("depends")),
    ("Deployment", lambda doc: doc["spec"].__setitem__("serviceAccount", "not-in-the-schema")),
])
def test_vendor_schema_rejects_a_broken_manifest(kind, breakage):
    """The oracle can fail: each change below violates the vendor's schema."""
    doc = copy.deepcopy(next(d for _, d in DOCUMENTS if d["kind"] == kind))
    breakage(doc)
    with pytest.raises(jsonschema.ValidationError):
        vendor_validator(kind).validate(doc)

"""What every v2 route shares: the request context and its checks (docs/reference/v2-api.md#hosts-and-headers),
request bodies and the object envelope (#object-envelope), lists and filters (#lists-and-pagination),
errors (#errors), name-or-guid references, and the store kinds.

Handlers take `ctx: V2Context = Depends(project_context)` (or `organization_context` / `user_context`),
read bodies with `read_body(body)`, build objects with `new_object(...)`, answer lists with
`list_response(request, items, kind)` and raise the ApiError values the helpers below return.
"""
import copy
import datetime
import re
import uuid

from fastapi import Request

from .. import ids
from ..context import require_auth
from ..errors import ApiError

API_VERSION = "api.rapyuta.io/v2"
API_VERSIONS = ("api.rapyuta.io/v2", "apiextensions.rapyuta.io/v1")
ORGANIZATION_NAME = "emulator-org"
ORGANIZATION_SHORT_GUID = "emuorg"
DEFAULT_PROJECT_NAME = "emulator-project"
DEFAULT_REGION = "jp"
# The one user the emulator knows (the bearer token's owner).
USER_GUID = str(uuid.uuid5(uuid.NAMESPACE_URL, "rio-emulator/user"))
USER_EMAIL = "user@emulator.invalid"
USER_FIRST_NAME, USER_LAST_NAME = "Emulator", "User"
DENIED = "subject is not authorized for this operation"
DEFAULT_LIMIT, MAX_LIMIT = 50, 1000

# Store kinds (the store's `kind` column); v1 kinds have no prefix.
PACKAGE = "v2package"          # id "<name>@<version>"
DEPLOYMENT = "v2deployment"    # id = guid (several incarnations per name)
NETWORK = "v2network"          # id = name
DISK = "v2disk"                # id = name
SECRET = "v2secret"            # id = name
CONFIGTREE = "v2configtree"    # id = name
STATICROUTE = "v2staticroute"  # id = full name "<name>-<organization short guid>"
PROJECT = "v2project"          # id = guid, store project column = organization guid
USER = "v2user"                # id = USER_GUID, edits of PUT /v2/users/me/
DEVICE = "device"              # the v1 fleet devices, shared with v2

GUID_PREFIX = {PACKAGE: "pkg-", DEPLOYMENT: "dep-", NETWORK: "network-", DISK: "disk-", SECRET: "secret-",
               CONFIGTREE: "configtree-", STATICROUTE: "staticroute-", PROJECT: "project-"}

# Server-owned metadata: ignored in request bodies.
READ_ONLY_METADATA = ("guid", "projectGUID", "organizationGUID", "organizationCreatorGUID", "creatorGUID",
                      "createdAt", "updatedAt", "deletedAt", "generation", "organizationName", "shortGUID",
                      "projectName")
NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


# -- errors ----------------------------------------------------------------------------------------
def error(status, message):
    """An ApiError with the v2 body `{"error": message}`."""
    return ApiError(status, message)


def bad_request(message):
    """400 with a free message."""
    return ApiError(400, message)


def invalid(path, problem):
    """400 naming the field path: `spec.executables[0].docker.image: required`."""
    return ApiError(400, "%s: %s" % (path, problem))


def not_found(label, name):
    """404 `<kind> <name> not found` (label: "package", "deployment", ...)."""
    return ApiError(404, "%s %s not found" % (label, name))


def conflict(message):
    """409 (duplicate create, delete while in use)."""
    return ApiError(409, message)


def forbidden():
    """403 with the platform's RBAC text."""
    return ApiError(403, DENIED)


# -- time and ids ----------------------------------------------------------------------------------
def rfc3339(ts):
    """Epoch seconds -> `2025-09-22T07:30:13Z` (the v2 timestamps have whole seconds)."""
    return datetime.datetime.fromtimestamp(ts, datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def new_guid(kind):
    """A fresh guid for a store kind: its prefix + 24 lower-case letters."""
    return GUID_PREFIX[kind] + ids.letters(24)


# -- request context -------------------------------------------------------------------------------
class V2Context:
    """One v2 request: `emu` (the Emulator), `project` (guid, None on organization-scoped routes),
    `organization` (guid) and the `request`; shortcuts to the store scoped to the project."""

    def __init__(self, emu, request, project, organization):
        self.emu, self.request, self.project, self.organization = emu, request, project, organization

    @property
    def store(self):
        return self.emu.store

    @property
    def settings(self):
        return self.emu.settings

    def now(self):
        """The emulator's clock (tests replace it)."""
        return self.emu.now()

    def timestamp(self):
        """Now as an RFC 3339 string."""
        return rfc3339(self.emu.now())

    def get(self, kind, id_):
        """The stored document of `kind` with id `id_` in this project, or None."""
        return self.emu.store.get(kind, self.project, id_)

    def put(self, kind, id_, doc):
        """Store (insert or replace) a document in this project."""
        self.emu.store.put(kind, self.project, id_, doc)

    def delete(self, kind, id_):
        """Remove a document of this project."""
        self.emu.store.delete(kind, self.project, id_)

    def list(self, kind, mentioning=None):
        """Documents of `kind` in this project, creation order (`mentioning`: see Store.list)."""
        return self.emu.store.list(kind, self.project, mentioning=mentioning)

    def tx(self):
        """The store transaction (hold it across read-check-write sequences)."""
        return self.emu.store.tx()


def known_project(emu, guid):
    """True for the emulator's default project and projects created with POST /v2/projects/."""
    if not guid:
        return False
    return guid == emu.settings.project or emu.store.get(PROJECT, emu.settings.organization, guid) is not None


def _checked_organization(request):
    require_auth(request)
    emu = request.app.state.emulator
    given = request.headers.get("organizationguid")
    if given and given != emu.settings.organization:
        raise forbidden()
    return emu


def user_context(request: Request):
    """Dependency of user routes: bearer token only (an `organizationguid` header, if sent, must match)."""
    emu = _checked_organization(request)
    return V2Context(emu, request, None, emu.settings.organization)


def organization_context(request: Request):
    """Dependency of organization-scoped routes (projects, organizations): token + organization checks."""
    emu = _checked_organization(request)
    return V2Context(emu, request, None, emu.settings.organization)


def project_context(request: Request):
    """Dependency of project-scoped routes: token (401), organization (403), `project` header (400 when absent,
    403 when unknown)."""
    emu = _checked_organization(request)
    project = request.headers.get("project")
    if not project:
        raise bad_request("project header required")
    if not known_project(emu, project):
        raise forbidden()
    return V2Context(emu, request, project, emu.settings.organization)


# -- bodies ----------------------------------------------------------------------------------------
def drop_nulls(value):
    """A deep copy without null values (in objects, and null list elements)."""
    if isinstance(value, dict):
        return dict((k, drop_nulls(v)) for k, v in value.items() if v is not None)
    if isinstance(value, list):
        return [drop_nulls(v) for v in value if v is not None]
    return value


def read_body(body, kind=None):
    """The request body ready to validate: 400 unless a JSON object; nulls dropped recursively, `status`
    and read-only metadata removed, `metadata` always an object; `kind` (if given) checked against the
    body's `kind` (case-insensitively, absent is fine), `apiVersion` one of API_VERSIONS when sent."""
    if not isinstance(body, dict):
        raise bad_request("the body must be a JSON object")
    body = drop_nulls(body)
    body.pop("status", None)
    metadata = body.get("metadata", {})
    if not isinstance(metadata, dict):
        raise invalid("metadata", "must be an object")
    for key in READ_ONLY_METADATA:
        metadata.pop(key, None)
    body["metadata"] = metadata
    if kind is not None and "kind" in body and str(body["kind"]).lower() != kind.lower():
        raise invalid("kind", "must be %s" % kind)
    if "apiVersion" in body and body["apiVersion"] not in API_VERSIONS:
        raise invalid("apiVersion", "must be one of %s" % ", ".join(API_VERSIONS))
    return body


def check_name(metadata, path="metadata.name"):
    """metadata.name: a required string usable in a URL path (letters, digits, `.`, `_`, `-`; <= 253)."""
    name = metadata.get("name")
    if name is None or name == "":
        raise invalid(path, "required")
    if not isinstance(name, str):
        raise invalid(path, "must be a string")
    if len(name) > 253 or not NAME.match(name):
        raise invalid(path, "must start with a letter or digit and contain only letters, digits, '.', '_', '-' "
                            "(at most 253 characters)")
    return name


def check_labels(metadata, path="metadata.labels"):
    """metadata.labels: an object of strings (absent = {})."""
    labels = metadata.get("labels", {})
    if not isinstance(labels, dict):
        raise invalid(path, "must be an object of strings")
    for key, value in labels.items():
        if not isinstance(value, str):
            raise invalid("%s.%s" % (path, key), "must be a string")
    return labels


def check_object(value, path, required=False):
    """A JSON object (dict) or, when absent and not required, {}."""
    if value is None:
        if required:
            raise invalid(path, "required")
        return {}
    if not isinstance(value, dict):
        raise invalid(path, "must be an object")
    return value


def check_list(value, path, required=False):
    """A JSON array or, when absent and not required, []."""
    if value is None:
        if required:
            raise invalid(path, "required")
        return []
    if not isinstance(value, list):
        raise invalid(path, "must be a list")
    return value


def check_string(value, path, required=False, choices=None):
    """A string (non-empty when required), optionally one of `choices`; None when absent."""
    if value is None or (required and value == ""):
        if required:
            raise invalid(path, "required")
        return None
    if not isinstance(value, str):
        raise invalid(path, "must be a string")
    if choices is not None and value not in choices:
        raise invalid(path, "must be one of %s" % ", ".join(choices))
    return value


def check_bool(value, path, required=False):
    """A boolean; None when absent."""
    if value is None:
        if required:
            raise invalid(path, "required")
        return None
    if not isinstance(value, bool):
        raise invalid(path, "must be a boolean")
    return value


def check_int(value, path, required=False, minimum=None, maximum=None):
    """An integer within [minimum, maximum]; None when absent."""
    if value is None:
        if required:
            raise invalid(path, "required")
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise invalid(path, "must be an integer")
    return _in_range(value, path, minimum, maximum)


def check_number(value, path, required=False, minimum=None, maximum=None):
    """A number within [minimum, maximum]; None when absent."""
    if value is None:
        if required:
            raise invalid(path, "required")
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise invalid(path, "must be a number")
    return _in_range(value, path, minimum, maximum)


def _in_range(value, path, minimum, maximum):
    if minimum is not None and value < minimum:
        raise invalid(path, "must be at least %s" % minimum)
    if maximum is not None and value > maximum:
        raise invalid(path, "must be at most %s" % maximum)
    return value


# -- envelope --------------------------------------------------------------------------------------
def new_object(ctx, body, kind, store_kind, spec=None):
    """The object to store for a create: apiVersion (as sent, default API_VERSION), kind, the body's
    metadata plus server fields (guid, projectGUID, organizationGUID, creatorGUID, createdAt, updatedAt,
    labels {}, region), spec (as sent unless given)."""
    now = ctx.timestamp()
    metadata = copy.deepcopy(body.get("metadata") or {})
    metadata.setdefault("labels", {})
    metadata.setdefault("region", DEFAULT_REGION)
    metadata.update(guid=new_guid(store_kind), organizationGUID=ctx.organization, creatorGUID=USER_GUID,
                    createdAt=now, updatedAt=now)
    if ctx.project is not None:
        metadata["projectGUID"] = ctx.project
    return {"apiVersion": body.get("apiVersion") or API_VERSION, "kind": kind, "metadata": metadata,
            "spec": copy.deepcopy(spec if spec is not None else body.get("spec") or {})}


def touch(ctx, obj):
    """Set metadata.updatedAt to now (after an update)."""
    obj["metadata"]["updatedAt"] = ctx.timestamp()
    return obj


def save_if_changed(ctx, kind, id_, before, after, store=None):
    """Store `after` with a new metadata.updatedAt unless it equals `before` (a re-sent PUT changes nothing,
    not even the timestamp); returns the object now stored. `store` (project column) defaults to ctx.project."""
    if after == before:
        return before
    touch(ctx, after)
    ctx.store.put(kind, ctx.project if store is None else store, id_, after)
    return after


def public(obj):
    """The wire view of a stored object: a deep copy without private top-level keys (starting with `_`)."""
    return copy.deepcopy(dict((k, v) for k, v in obj.items() if not k.startswith("_")))


def success():
    """The body of a successful DELETE."""
    return {"success": True}


# -- queries, lists, label selectors ---------------------------------------------------------------
def query_values(request, *keys):
    """Non-empty values of the query keys (repeated keys and several key spellings all count)."""
    out = []
    for key in keys:
        out.extend(v for v in request.query_params.getlist(key) if v != "")
    return out


def query_value(request, key):
    """The first non-empty value of a query key, or None (`key=` means no filter)."""
    values = query_values(request, key)
    return values[0] if values else None


def paging(request):
    """(offset, limit) from `continue` (default 0) and `limit` (default 50, 1..1000); 400 when malformed."""
    raw_offset, raw_limit = query_value(request, "continue"), query_value(request, "limit")
    try:
        offset = int(raw_offset) if raw_offset is not None else 0
    except ValueError:
        raise invalid("continue", "must be a non-negative integer")
    try:
        limit = int(raw_limit) if raw_limit is not None else DEFAULT_LIMIT
    except ValueError:
        raise invalid("limit", "must be an integer between 1 and %d" % MAX_LIMIT)
    if offset < 0:
        raise invalid("continue", "must be a non-negative integer")
    if not 1 <= limit <= MAX_LIMIT:
        raise invalid("limit", "must be an integer between 1 and %d" % MAX_LIMIT)
    return offset, limit


def page(items, offset, limit, kind):
    """One page of a list: `{"kind", "apiVersion", "metadata": {"continue": offset + len(page)}, "items"}`.
    `items` is the whole filtered list (wire objects), `kind` the list kind ("PackageList")."""
    chunk = items[offset:offset + limit]
    return {"kind": kind, "apiVersion": API_VERSION, "metadata": {"continue": offset + len(chunk)},
            "items": chunk}


def list_response(request, items, kind):
    """page() with offset/limit read from the request."""
    offset, limit = paging(request)
    return page(items, offset, limit, kind)


def parse_selector(values):
    """labelSelector values -> [(key, op, value)]; each value may hold comma-separated entries `k=v`,
    `k==v`, `k!=v` or a bare `k` (label present). 400 on an entry without a key."""
    selector = []
    for raw in values:
        for entry in raw.split(","):
            entry = entry.strip()
            if not entry:
                continue
            if "!=" in entry:
                key, value = entry.split("!=", 1)
                op = "!="
            elif "=" in entry:
                key, value = entry.split("=", 1)
                value = value[1:] if value.startswith("=") else value
                op = "="
            else:
                key, value, op = entry, None, "exists"
            key = key.strip()
            if not key:
                raise invalid("labelSelector", "invalid entry %r" % entry)
            selector.append((key, op, value.strip() if value is not None else None))
    return selector


def labels_match(labels, selector):
    """True when the labels dict satisfies every (key, op, value) of the selector."""
    labels = labels or {}
    for key, op, value in selector:
        if op == "exists" and key not in labels:
            return False
        if op == "=" and labels.get(key) != value:
            return False
        if op == "!=" and labels.get(key) == value:
            return False
    return True


def label_selector(request):
    """The parsed `labelSelector` of the request ([] when absent or empty)."""
    return parse_selector(query_values(request, "labelSelector"))


def select(objects, request, names_key="names"):
    """Common list filters on wire objects: `names` (or the `names_key` spelling, and `name`) exact, `guids`,
    `regions`, `labelSelector`. names_key=None: no name filter (the caller matched names itself)."""
    names = set(query_values(request, names_key, "name")) if names_key else set()
    guids = set(query_values(request, "guids"))
    regions = set(query_values(request, "regions"))
    selector = label_selector(request)
    out = []
    for obj in objects:
        meta = obj.get("metadata") or {}
        if names and meta.get("name") not in names:
            continue
        if guids and meta.get("guid") not in guids:
            continue
        if regions and meta.get("region") not in regions:
            continue
        if selector and not labels_match(meta.get("labels"), selector):
            continue
        out.append(obj)
    return out


# -- references ------------------------------------------------------------------------------------
def find_device(ctx, name_or_uuid):
    """The fleet device (v1 document) of this project named or with uuid `name_or_uuid`, or None."""
    if not isinstance(name_or_uuid, str) or not name_or_uuid:
        return None
    device = ctx.get(DEVICE, name_or_uuid)
    if device is not None:
        return device
    for device in ctx.list(DEVICE, mentioning=name_or_uuid):
        if device.get("name") == name_or_uuid:
            return device
    return None


def find_by_name_or_guid(ctx, kind, name_or_guid):
    """A stored object of a name-keyed kind by its name (the store id) or its metadata.guid, or None."""
    if not isinstance(name_or_guid, str) or not name_or_guid:
        return None
    obj = ctx.get(kind, name_or_guid)
    if obj is not None:
        return obj
    for obj in ctx.list(kind, mentioning=name_or_guid):
        if (obj.get("metadata") or {}).get("guid") == name_or_guid:
            return obj
    return None


def deleted(obj):
    """True when a stored object is a stopped deployment incarnation (metadata.deletedAt or _state.stopped)."""
    return bool((obj.get("metadata") or {}).get("deletedAt") or (obj.get("_state") or {}).get("stopped"))


def live_deployments(ctx):
    """The project's v2 deployments that are not stopped."""
    return [d for d in ctx.list(DEPLOYMENT) if not deleted(d)]


def static_route_full_name(name):
    """The stored name of a static route: `<name>-<organization short guid>`."""
    return "%s-%s" % (name, ORGANIZATION_SHORT_GUID)


def find_static_route(ctx, name_or_guid):
    """A static route by its full name, the name given at creation (unsuffixed) or its guid; or None."""
    if not isinstance(name_or_guid, str) or not name_or_guid:
        return None
    return (ctx.get(STATICROUTE, name_or_guid) or ctx.get(STATICROUTE, static_route_full_name(name_or_guid))
            or find_by_name_or_guid(ctx, STATICROUTE, name_or_guid))


def deployment_references(dep):
    """{"package": [(nameOrGUID, version)], "network"|"disk"|"staticroute"|"secret"|"configtree"|"deployment":
    [nameOrGUID, ...], "device": [nameOrGUID]} named by a deployment object as sent."""
    meta, spec = dep.get("metadata") or {}, dep.get("spec") or {}
    refs = {"package": [], "network": [], "disk": [], "staticroute": [], "secret": [], "configtree": [],
            "deployment": [], "device": []}
    package = meta.get("depends") or {}
    if package.get("nameOrGUID"):
        refs["package"].append((package["nameOrGUID"], package.get("version")))

    def name_of(entry):
        depends = (entry or {}).get("depends") if isinstance(entry, dict) else None
        return (depends or {}).get("nameOrGUID") or (depends or {}).get("nameOrGuid")

    for key, kind in (("rosNetworks", "network"), ("volumes", "disk"), ("staticRoutes", "staticroute")):
        refs[kind].extend(n for n in (name_of(e) for e in spec.get(key) or []) if n)
    for entry in spec.get("depends") or []:
        if isinstance(entry, dict) and (entry.get("nameOrGUID") or entry.get("nameOrGuid")):
            refs["deployment"].append(entry.get("nameOrGUID") or entry.get("nameOrGuid"))
    device = name_of(spec.get("device"))
    if device:
        refs["device"].append(device)
    for arg in spec.get("envArgs") or []:
        ref = ((arg or {}).get("valueFrom") or {}).get("secretKeyRef") or {}
        if ref.get("name"):
            refs["secret"].append(ref["name"])
    trees = (((spec.get("features") or {}).get("params") or {}).get("trees")) or []
    refs["configtree"].extend(t for t in trees if isinstance(t, str))
    return refs


def users_of(ctx, kind, names):
    """Live deployments that reference an object of `kind` ("network", "disk", ...) by any of `names`
    (its name, full name, guid)."""
    wanted = set(n for n in names if n)
    return [d for d in live_deployments(ctx) if wanted.intersection(deployment_references(d)[kind])]


def names_of(deployments):
    """`name (guid), ...` for error messages."""
    return ", ".join("%s (%s)" % (d["metadata"].get("name"), d["metadata"].get("guid")) for d in deployments)

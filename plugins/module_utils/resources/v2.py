# Copyright: (c) 2026, rapyuta.rio contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause
"""rio_routed_network, rio_native_network, rio_volume and rio_static_route on the v2 API.
FOR INTERNAL COLLECTION USE ONLY: may change in any release.

Each module's options become ONE v2 document (docs/reference/v2-api.md#v1-to-v2-mapping): a
Network (#networks), a Disk (#disks) or a StaticRoute (#static-routes). That document goes through
the shared applier (``v2/apply.py``: plan, act, wait, check and diff), and its outcome is reported
under the module's v1 return keys, plus the v2 object under ``resource``. What v1 promised holds:
options without a v2 counterpart, bad values, an unknown or offline device and a deletion that
would break live deployments are refused before any write. Nothing here imports Ansible.
"""

from ansible_collections.rapyuta.rio.plugins.module_utils.resources.ensure import ResourceInputError, ResourceInUse
from ansible_collections.rapyuta.rio.plugins.module_utils.resources.network import (
    DEFAULT_DEVICE_RESTART_POLICY,
    normalize_limits,
)
from ansible_collections.rapyuta.rio.plugins.module_utils.resources.static_route import check_route_name, route_url
from ansible_collections.rapyuta.rio.plugins.module_utils.transport.client import RioError
from ansible_collections.rapyuta.rio.plugins.module_utils.v2 import readiness
from ansible_collections.rapyuta.rio.plugins.module_utils.v2.apply import (
    ApplyRefused,
    ManifestApply,
    diff_key,
    identity,
    is_dependent,
    wait_settings,
)
from ansible_collections.rapyuta.rio.plugins.module_utils.v2.documents import DEFAULT_API_VERSION
from ansible_collections.rapyuta.rio.plugins.module_utils.v2.model import DocumentModel

# Option value -> v2 wire value (docs/reference/v2-api.md#networks) and back.
V2_RESTART_POLICIES = {"always": "always", "never": "never", "on_failure": "onfailure"}
_RESTART_FROM_V2 = dict((wire, option) for option, wire in V2_RESTART_POLICIES.items())
# The platform's steps and ceilings for network limits (docs/reference/v2-api.md#networks).
CPU_STEP, CPU_MAX = 0.025, 4
MEMORY_STEP, MEMORY_MAX = 128, 16384

# The applier's action words -> the v1 modules' ``action`` values.
_ACTIONS = {"created": "create", "would_create": "create", "recreated": "recreate", "would_recreate": "recreate",
            "deleted": "delete", "would_delete": "delete", "updated": "update", "would_update": "update"}


def document(kind, name, spec=None):
    body = {"apiVersion": DEFAULT_API_VERSION, "kind": kind, "metadata": {"name": name}}
    if spec is not None:
        body["spec"] = spec
    return body


def _spec(obj):
    return (obj or {}).get("spec") or {}


def _metadata(obj):
    return (obj or {}).get("metadata") or {}


def _status(obj):
    return (obj or {}).get("status") or {}


def deployments_using(api, key, live, spellings=()):
    """Names of the live deployments that reference the object ``key`` (kind, name, version) found as ``live``,
    by its name, its guid or one of the other ``spellings`` of its name."""
    keys = [key] + [(key[0], spelling, key[2]) for spelling in spellings if spelling != key[1]]
    found = []
    for deployment in api.list_objects("Deployment", phases=list(readiness.LIVE_PHASES)):
        if _status(deployment).get("phase") == readiness.PHASE_STOPPED:
            continue
        if any(is_dependent(deployment, each, live) for each in keys):
            found.append(_metadata(deployment).get("name"))
    return sorted(found)


class V2Resource:
    """One module's v2 mapping. Subclasses say which kind, how options become a document and how an
    object becomes the module's result."""

    kind = None
    label = "resource"
    result_key = "resource"
    updatable = False
    named_diff = False

    def describe(self, name):
        return "%s %r" % (self.label, name)

    def refuse(self, params):
        """Options without a v2 counterpart and values v2 does not take: raise ResourceInputError (no request)."""

    def locate(self, api, params):
        """(the name to address the object by, the live object or None)."""
        return params["name"], api.find(self.kind, params["name"])

    def build(self, rio, params, name, live):
        """The v2 document the options declare (may read devices and refuse their values)."""
        raise NotImplementedError

    def check_create(self, rio, params):
        """Checks only needed before a creation or a recreation (may read more): raise ResourceInputError."""

    def spellings(self, api, name, live):
        """Other names that references to the live object may use (read only before a deletion)."""
        return ()

    def result(self, obj):
        raise NotImplementedError


# -- networks --------------------------------------------------------------------------------------
class V2Network(V2Resource):
    """``v1_kind``: the module's v1 RoutedNetworkKind or NativeNetworkKind, whose option checks v2 keeps."""

    kind = "Network"
    result_key = "network"

    def __init__(self, v1_kind, network_type):
        self.v1_kind = v1_kind
        self.network_type = network_type
        self.label = v1_kind.label
        self._device = None
        self._desired = None

    def refuse(self, params):
        if self.v1_kind.has_shared and params.get("shared"):
            raise ResourceInputError("shared", "shared=true: v2 networks cannot be shared with other projects (the v2 "
                                     "API has no such setting); remove the option or set it to false")
        limits = params.get("limits") or {}
        for key, step, ceiling, unit in (("cpu", CPU_STEP, CPU_MAX, "cores"), ("memory", MEMORY_STEP, MEMORY_MAX, "MiB")):
            value = limits.get(key)
            if value is None or value <= 0:
                continue  # the v1 checks name a missing or non-positive value
            steps = value / step
            if abs(steps - round(steps)) > 1e-6 or value > ceiling:
                raise ResourceInputError("limits.%s" % key, "limits.%s must be a multiple of %s up to %s %s on v2, "
                                         "got %r" % (key, step, ceiling, unit, value))

    def build(self, rio, params, name, live):
        # The v1 checks of the options (runtime, device, interface, limits, distro rules) and the device's uuid.
        desired = self._desired = self.v1_kind.desired(rio.api, params)
        spec = {"type": self.network_type, "rosDistro": desired["ros_distro"], "runtime": desired["runtime"]}
        if desired.get("limits"):
            spec["resourceLimits"] = dict(desired["limits"])
        if desired["runtime"] == "device":
            self._device = rio.api.find_device(params["device"]) or {"uuid": desired["device_id"]}
            spec["depends"] = {"kind": "Device", "nameOrGUID": self._device_spelling(params["device"], live)}
            spec["networkInterface"] = desired["network_interface"]
            policy = desired.get("restart_policy")
            if policy is None and live is None and self.v1_kind.has_shared:
                # As on v1: a new routed device network gets `always`; an omitted policy is not compared.
                policy = DEFAULT_DEVICE_RESTART_POLICY
            if policy:
                spec["restartPolicy"] = V2_RESTART_POLICIES[policy]
        return document(self.kind, name, spec)

    def check_create(self, rio, params):
        # As on v1: an offline device would fail the network (DEP_E151) and leave it behind.
        self.v1_kind.check_create(rio.api, params, self._desired)

    def _device_spelling(self, given, live):
        """The live network's own reference when it names the same device (by name or uuid), else the option."""
        stored = (_spec(live).get("depends") or {}).get("nameOrGUID")
        if stored and stored in (self._device.get("name"), self._device.get("uuid")):
            return stored
        return given

    def result(self, obj):
        spec, status = _spec(obj), _status(obj)
        depends = spec.get("depends") or {}
        device = depends.get("nameOrGUID")
        known = self._device or {}
        if device and device in (known.get("name"), known.get("uuid")):
            device = known.get("uuid") or device
        policy = spec.get("restartPolicy")
        return {
            "name": _metadata(obj).get("name"),
            "guid": _metadata(obj).get("guid"),
            "runtime": spec.get("runtime"),
            "ros_distro": spec.get("rosDistro"),
            "shared": False,
            "limits": normalize_limits(spec.get("resourceLimits")),
            "device_id": device or None,
            "network_interface": spec.get("networkInterface") or None,
            "restart_policy": _RESTART_FROM_V2.get(policy, policy) or None,
            "internal_deployment_id": None,
            "phase": status.get("phase"),
            "status": status.get("status"),
            "error_codes": readiness.error_codes(obj),
        }


# -- disks -----------------------------------------------------------------------------------------
class V2Volume(V2Resource):
    kind = "Disk"
    label = "volume"
    result_key = "volume"

    def build(self, rio, params, name, live):
        # disk_type has one value, ssd, which is what a v2 disk is: nothing to send or compare.
        return document(self.kind, name, {"runtime": "cloud", "capacity": params.get("capacity")})

    def result(self, obj):
        spec, status = _spec(obj), _status(obj)
        bound = status.get("diskBound") or {}
        return {
            "name": _metadata(obj).get("name"),
            "guid": _metadata(obj).get("guid"),
            "capacity": spec.get("capacity"),
            "disk_type": None,
            "runtime": spec.get("runtime"),
            "status": status.get("status"),
            "errors": [status["errorCode"]] if status.get("errorCode") else [],
            "internal_deployment_id": None,
            "used_by": bound.get("deployment_guid") or None,
            "used_by_deployment_name": bound.get("deployment_name") or None,
        }


# -- static routes ---------------------------------------------------------------------------------
def organization_short_id(api):
    """The short id the platform appends to static-route names, from ``GET /v2/users/me/`` (riocli learns
    it there too): the organization of the connection, or the user's only one; None when unknown."""

    def load():
        # An organization-less call: neither the project nor the organization header (docs/reference/v2-api.md#projects-and-users).
        return api.client.request("GET", "v2", "/v2/users/me/", headers={"project": None, "organizationguid": None})

    me = api.cache.get(("v2:users", "me"), load) or {}
    organizations = [org for org in (_spec(me).get("organizations") or []) if isinstance(org, dict)]
    wanted = getattr(api.client, "organization", None)
    if wanted:
        organizations = [org for org in organizations if org.get("guid") == wanted]
    return organizations[0].get("shortGUID") if len(organizations) == 1 else None


class V2StaticRoute(V2Resource):
    kind = "StaticRoute"
    label = "static route"
    result_key = "static_route"
    updatable = True
    named_diff = True

    def refuse(self, params):
        reason = check_route_name(params["name"])
        if reason:
            raise ResourceInputError("name", "static route name %r %s" % (params["name"], reason))
        for index, cidr in enumerate(params.get("source_ip_range") or []):
            if not _is_ipv4_cidr(cidr):
                raise ResourceInputError("source_ip_range[%d]" % index, "source_ip_range[%d] must be an IPv4 CIDR "
                                         "range such as 10.0.0.0/8, got %r" % (index, cidr))

    def locate(self, api, params):
        """The platform stores ``<name>-<organization short id>`` and answers to both spellings; a name given
        either way is the same route, and a route is created under the name without the suffix."""
        name = params["name"]
        live = api.find(self.kind, name)
        if live is not None:
            return name, live
        short = organization_short_id(api)
        if not short:
            return name, None
        suffix = "-" + short
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[:-len(suffix)], None
        full = name + suffix
        live = api.find(self.kind, full)
        return (full, live) if live is not None else (name, None)

    def spellings(self, api, name, live):
        """Deployments may reference a route by the name it was created with, without the suffix."""
        names = set([name, _metadata(live).get("name")])
        short = organization_short_id(api)
        if short:
            suffix = "-" + short
            names.update(spelling[:-len(suffix)] for spelling in list(names)
                         if spelling and spelling.endswith(suffix) and len(spelling) > len(suffix))
        return sorted(spelling for spelling in names if spelling)

    def build(self, rio, params, name, live):
        ranges = params.get("source_ip_range")
        spec = {"sourceIPRange": list(ranges)} if ranges else {}
        return document(self.kind, name, spec)

    def result(self, obj):
        spec, metadata = _spec(obj), _metadata(obj)
        return {
            "name": metadata.get("name"),
            "guid": metadata.get("guid"),
            "url_string": spec.get("url") or None,
            "url": route_url(spec.get("url")),
            "creator": metadata.get("creatorGUID"),
            "created_at": metadata.get("createdAt"),
            "source_ip_range": list(spec.get("sourceIPRange") or []),
        }


def _is_ipv4_cidr(value):
    if not isinstance(value, str) or value.count("/") != 1:
        return False
    address, bits = value.split("/")
    parts = address.split(".")
    if len(parts) != 4 or not bits.isdigit() or int(bits) > 32:
        return False
    return all(part.isdigit() and int(part) <= 255 and str(int(part)) == part for part in parts)


# -- the run ---------------------------------------------------------------------------------------
def converge(resource, rio, api, params, check_mode=False, wait=None, **applier_kwargs):
    """Converge the module's one object on v2. Returns dict(changed, action, before, after, result,
    resource, msg). Raises ResourceInputError, ResourceInUse, ApplyRefused before any write, RioError
    after (with ``changed`` and ``resources`` set on it)."""
    resource.refuse(params)
    state = params.get("state") or "present"
    name, live = resource.locate(api, params)
    model = DocumentModel()
    if state == "absent":
        body = document(resource.kind, name)
    else:
        body = resource.build(rio, params, name, live)
    key = identity(body)
    leaving = live is not None and state == "absent"
    if live is not None and state != "absent" and not resource.updatable and params.get("on_change") == "recreate":
        leaving = bool(model.differences(model.comparable(body), model.comparable(live)))
    if state != "absent" and (live is None or leaving):
        resource.check_create(rio, params)
    if leaving:
        users = deployments_using(api, key, live, resource.spellings(api, name, live))
        if users:
            exc = ResourceInUse("%s is in use by deployments: %s; delete them first" % (
                resource.describe(name), ", ".join(repr(user) for user in users)))
            exc.deployments = users
            raise exc
    applier = ManifestApply(api, model=model, check_mode=check_mode, wait=wait,
                            on_change=params.get("on_change") or "fail", **applier_kwargs)
    outcome = applier.run([body], state)
    entry = outcome["resources"][0]
    obj = entry["object"] or {}
    action = _ACTIONS.get(entry["action"], "none")
    before, after = outcome["before"].get(diff_key(key), {}), outcome["after"].get(diff_key(key), {})
    if resource.named_diff:
        # A route may have no settings at all: its name is what a diff shows of it, as on v1.
        before = dict(before, name=_metadata(live).get("name")) if live is not None else {}
        after = dict(after, name=_metadata(live).get("name") if live is not None else name) if state != "absent" else {}
    return dict(changed=outcome["changed"], action=action, before=before, after=after,
                result=resource.result(obj) if obj else {}, resource=obj,
                msg=_message(resource, name, entry, check_mode))


def _message(resource, name, entry, check_mode):
    what = resource.describe(name)
    action = entry["action"]
    changes = "; ".join("%s (live %r, declared %r)" % (item["path"], item["before"], item["after"])
                        for item in entry.get("differences") or [])
    if action in ("unchanged",):
        return "%s is already present as declared" % what
    if action in ("absent", "retained"):
        return "%s is already absent" % what
    verb = _ACTIONS.get(action, action)
    text = "%s %s%s" % (what, "would be " if check_mode else "", {"create": "created", "recreate": "recreated",
                                                                  "delete": "deleted", "update": "updated"}[verb])
    return text + (": " + changes if changes and verb in ("recreate", "update") else "")


def run_v2(rio, resource):
    """Module glue: converge on v2 and exit or fail (rio: a RioModule)."""
    params = rio.params
    action = "Failed to ensure %s is %s" % (resource.describe(params.get("name")), params.get("state") or "present")
    error = None
    try:
        outcome = converge(resource, rio, rio.v2_api, params, check_mode=rio.check_mode, wait=wait_settings(params))
    except RioError as exc:  # reported below, outside the handler: no traceback for expected failures
        error = exc
    except Exception as exc:  # one helper turns every other failure into fail_json
        rio.fail_from_error(exc, action)
        return
    if isinstance(error, ResourceInputError):
        rio.fail("%s: %s" % (action, error), field=error.field, changed=False)
        return
    if isinstance(error, (ResourceInUse, ApplyRefused)):
        rio.fail("%s: %s" % (action, error), changed=False)
        return
    if error is not None:
        extra = {"changed": bool(getattr(error, "changed", False))}
        reports = getattr(error, "resources", None) or []
        obj = (reports[0].get("object") if reports else None) or getattr(error, "last", None)
        if obj:
            extra[resource.result_key] = resource.result(obj)
            extra["resource"] = obj
        rio.fail_from_error(error, action, **extra)
        return
    rio.exit(changed=outcome["changed"], before=outcome["before"], after=outcome["after"], msg=outcome["msg"],
             action=outcome["action"], resource=outcome["resource"], **{resource.result_key: outcome["result"]})

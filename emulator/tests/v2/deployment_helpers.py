"""Bodies and calls shared by the v2 deployment tests (packages, deployments in the shapes the vendor's
clients send)."""
import copy

from emulator_helpers import DOCKER_AMD64

# sdk-v2 sends every metadata field, null when unset (reference: the object envelope).
NULL_METADATA = dict((key, None) for key in (
    "guid", "projectGUID", "organizationGUID", "organizationCreatorGUID", "creatorGUID", "labels", "region",
    "createdAt", "updatedAt", "deletedAt", "organizationName", "shortGUID", "projectName", "generation"))


def cloud_package(name="web", version="v1.0.0", image="nginx:alpine", ros=None, executables=None):
    spec = {"runtime": "cloud", "cloud": {"replicas": 1},
            "executables": executables or [{"name": "web", "type": "docker", "docker": {"image": image},
                                            "command": ["nginx", "-g", "daemon off;"]}],
            "endpoints": [{"name": "http", "type": "external-https", "port": 443, "targetPort": 80}]}
    if ros:
        spec["ros"] = ros
    return {"apiVersion": "apiextensions.rapyuta.io/v1", "kind": "Package",
            "metadata": {"name": name, "version": version, "labels": {"app": name}}, "spec": spec}


def device_package(name="talker", version="v1.0.0", arch="amd64", distro="melodic", image="ros:melodic"):
    return {"apiVersion": "apiextensions.rapyuta.io/v1", "kind": "Package",
            "metadata": {"name": name, "version": version},
            "spec": {"runtime": "device", "device": {"arch": arch, "restart": "always"},
                     "ros": {"enabled": True, "version": distro},
                     "executables": [{"name": "talker", "type": "docker", "docker": {"image": image},
                                      "command": ["roslaunch", "talker", "talker.launch"]}]}}


def deployment(name, package="web", version="v1.0.0", runtime="cloud", device=None, depends=(), labels=None,
               region=None, nulls=False, **spec):
    """A Deployment body; `nulls=True` gives sdk-v2's null-filled shape."""
    metadata = dict(NULL_METADATA) if nulls else {}
    metadata.update(name=name, depends={"kind": "package", "nameOrGUID": package, "version": version})
    if labels is not None:
        metadata["labels"] = labels
    if region is not None:
        metadata["region"] = region
    body_spec = {"runtime": runtime}
    if device is not None:
        body_spec["device"] = {"depends": {"nameOrGUID": device, "kind": "device"}}
    if depends:
        body_spec["depends"] = [{"nameOrGUID": d, "kind": "deployment", "wait": False} for d in depends]
    body_spec.update(copy.deepcopy(spec))
    body = {"apiVersion": "apiextensions.rapyuta.io/v1", "kind": "Deployment", "metadata": metadata,
            "spec": body_spec}
    if nulls:
        for key in ("depends", "device", "restart", "envArgs", "volumes", "rosNetworks", "features", "staticRoutes",
                    "serviceAccount", "networkInterface"):
            body_spec.setdefault(key, None)
        body["status"] = None
    return body


def create_package(api, body):
    answer = api.post("/v2/packages/", json=body)
    assert answer.status_code == 201, answer.text
    return answer.json()


def create(api, body, expect=201):
    answer = api.post("/v2/deployments/", json=body)
    assert answer.status_code == expect, answer.text
    return answer.json()


def get(api, name, guid=""):
    answer = api.get("/v2/deployments/%s/" % name, params={"guid": guid})
    assert answer.status_code == 200, answer.text
    return answer.json()


def phase(api, name, guid=""):
    status = get(api, name, guid)["status"]
    return status["phase"], status["status"], status["error_codes"]


def listed(api, **params):
    """Names of the first page of GET /v2/deployments/ with `params` (lists become repeated keys)."""
    answer = api.get("/v2/deployments/", params=params)
    assert answer.status_code == 200, answer.text
    return [item["metadata"]["name"] for item in answer.json()["items"]]


def device_deployment(api, name, device=DOCKER_AMD64, package="talker", **kw):
    return create(api, deployment(name, package=package, runtime="device", device=device, **kw))

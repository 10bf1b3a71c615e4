"""Catalog: packages (docs/reference/v1-api.md#packages)."""
from typing import Any

from fastapi import APIRouter, Body, Depends

from . import packages
from .context import emulator, require_auth, tenant
from .errors import ApiError
from .lifecycle import STOPPED

router = APIRouter(dependencies=[Depends(require_auth)])


def load_package(emu, project, package_uid):
    """packageInfo visible to `project` (own packages + the public persistent-volume package) or None."""
    if package_uid == packages.PV_PACKAGE_ID:
        return packages.persistent_volume_package()
    return emu.store.get("package", project, package_uid)


@router.post("/serviceclass/add")
def create_package(body: Any = Body(None), project: str = Depends(tenant), emu=Depends(emulator)):
    try:
        packages.validate(body)
    except packages.ManifestError as exc:
        raise ApiError(400, str(exc))
    with emu.store.tx():
        for info in emu.store.list("package", project):
            if info["packageName"] == body["name"] and info["packageVersion"] == body.get("packageVersion", ""):
                raise ApiError(409, "package %s with version %s already exists (%s)"
                               % (body["name"], info["packageVersion"], info["guid"]))
        info, answer = packages.stored_form(body, project, emu.int_id, emu.now())
        emu.store.put("package", project, info["guid"], info)
    return answer


@router.get("/serviceclass/status")
def get_package(package_uid: str = "", builds: str | None = None, project: str = Depends(tenant),
                emu=Depends(emulator)):
    info = load_package(emu, project, package_uid)
    if info is None:
        raise ApiError(404, "Package not found")
    answer = {"packageInfo": info, "packageUrl": ""}
    if builds in ("true", "True", "1"):
        answer["buildInfo"] = []
    return answer


@router.get("/v2/catalog")
def list_packages(project: str = Depends(tenant), emu=Depends(emulator)):
    services = [packages.summary(packages.persistent_volume_package())]
    services += [packages.summary(info) for info in emu.store.list("package", project)]
    return {"services": services}


@router.delete("/serviceclass/delete")
def delete_package(package_uid: str = "", project: str = Depends(tenant), emu=Depends(emulator)):
    if package_uid == packages.PV_PACKAGE_ID:
        raise ApiError(403, "public packages cannot be deleted")
    with emu.store.tx():
        info = emu.store.get("package", project, package_uid)
        if info is None:
            raise ApiError(404, "Package not found")
        renderer = emu.renderer(project)
        users = [d for d in emu.store.list("deployment", project)
                 if d["packageId"] == package_uid and renderer.state(d)[0] != STOPPED]
        if users:
            raise ApiError(409, "package %s is in use by deployments: %s; deprovision them first" % (
                package_uid, ", ".join("%s (%s)" % (d["name"], d["deploymentId"]) for d in users)))
        emu.store.delete("package", project, package_uid)
    return None

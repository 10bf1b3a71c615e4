# Copyright: (c) 2026, rapyuta.rio contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause
"""Typed calls of the rapyuta.io v2 API. FOR INTERNAL COLLECTION USE ONLY: may change in any release.

v2 objects are documents ``{apiVersion, kind, metadata, spec, status}`` addressed by name within the
project, packages by name and version (docs/reference/v2-api.md#object-envelope). RioV2Api sends
them over the run's RioClient (its ``v2`` host, session, retries and error classes) and keeps the
run's reads in a LookupCache, forgetting a kind when the run writes it. Kinds are named as in the
documents (``Package``, ``Deployment``, ``StaticRoute``..., any case).
"""

import time
from urllib.parse import quote

from ansible_collections.rapyuta.rio.plugins.module_utils.transport.client import (
    RioConflict,
    RioError,
    RioNotFound,
    is_ambiguous,
)
from ansible_collections.rapyuta.rio.plugins.module_utils.v1.api import LookupCache, RioApi

SERVICE = "v2"
# The largest page the API serves (docs/reference/v2-api.md#lists-and-pagination): a project's objects
# of one kind come in one request.
LIST_LIMIT = 1000


class V2Kind:
    """What the calls need to know of one kind: its path and the list filters it takes."""

    def __init__(self, name, plural, filters, write_only=(), puttable=False, also_changes=()):
        self.name = name
        self.plural = plural
        self.filters = frozenset(filters)
        # Fields the API takes but never returns (secret values): a stored object cannot show them.
        self.write_only = frozenset(write_only)
        self.puttable = puttable
        # Kinds whose stored status a write of this kind changes (a disk is Bound by a deployment).
        self.also_changes = tuple(also_changes)

    @property
    def cache_key(self):
        return "v2:" + self.plural


# Filters per kind, with their wire names (docs/reference/v2-api.md#packages, #deployments, #networks,
# #disks, #static-routes, #secrets, #config-trees).
KINDS = dict((kind.name.lower(), kind) for kind in (
    V2Kind("Package", "packages", ("labelSelector", "name")),
    V2Kind("Deployment", "deployments", ("dependencies", "deviceName", "guids", "labelSelector", "name", "names",
                                         "packageName", "packageVersion", "phases", "regions"),
           also_changes=("disk", "staticroute", "network")),
    V2Kind("Network", "networks", ("deviceName", "labelSelector", "names", "networkType", "phases", "regions", "status")),
    V2Kind("Disk", "disks", ("labelSelector", "names", "regions", "status")),
    V2Kind("StaticRoute", "staticroutes", ("guids", "labelSelector", "names", "regions"), puttable=True),
    V2Kind("Secret", "secrets", ("labelSelector", "names", "regions"),
           write_only=("spec.docker.password", "spec.data"), puttable=True),
    V2Kind("ConfigTree", "configtrees", ("labelSelector",)),
))

# Set by the server, whatever a request says (docs/reference/v2-api.md#object-envelope); ``metadata.name``
# is the key an object is found by (a static route's stored name carries a suffix), ``apiVersion`` either spelling.
SERVER_FIELDS = frozenset(["apiVersion", "status", "metadata.name", "metadata.guid", "metadata.projectGUID",
                           "metadata.organizationGUID", "metadata.organizationCreatorGUID", "metadata.creatorGUID",
                           "metadata.createdAt", "metadata.updatedAt", "metadata.deletedAt", "metadata.organizationName",
                           "metadata.shortGUID", "metadata.projectName", "metadata.generation", "spec.url"])


def kind_of(kind):
    """The V2Kind of a document kind such as ``Deployment`` or ``staticroute``."""
    found = KINDS.get(str(kind).lower())
    if found is None:
        raise RioError("kind %r: the v2 API calls know %s" % (kind, ", ".join(k.name for k in KINDS.values())))
    return found


def sent_differences(sent, stored, path="", ignored=SERVER_FIELDS):
    """Paths of what was sent that the stored object does not hold as sent; [] when it holds all of it.

    Nulls and empty objects or lists in what was sent are what the server drops or returns as ``{}``,
    so they match an absent field; server-set and write-only fields (``ignored``) are not compared."""
    if path in ignored or sent is None or sent == {} or sent == []:
        return []
    if isinstance(sent, dict):
        if stored is not None and not isinstance(stored, dict):
            return [path]
        stored = stored or {}
        found = []
        for key, value in sent.items():
            found.extend(sent_differences(value, stored.get(key), "%s.%s" % (path, key) if path else key, ignored))
        return found
    if isinstance(sent, list):
        if not isinstance(stored, list) or len(stored) != len(sent):
            return [path]
        found = []
        for index, (value, kept) in enumerate(zip(sent, stored, strict=True)):
            found.extend(sent_differences(value, kept, "%s[%d]" % (path, index), ignored))
        return found
    if isinstance(sent, bool) != isinstance(stored, bool) or sent != stored:
        return [path]
    return []


def _label_selector(value):
    """labelSelector from a dict ({k: v} -> ["k=v"]), a list of selector strings or one string."""
    if isinstance(value, dict):
        return ["%s=%s" % (key, value[key]) for key in sorted(value)]
    return [value] if isinstance(value, str) else list(value)


def _query(kind, filters):
    """Query pairs for a list: repeated keys for lists, booleans as true/false, unset filters left out."""
    pairs = []
    for name in sorted(filters):
        if name not in kind.filters:
            raise RioError("%s list: no filter %r (the API takes %s)" % (kind.name, name, ", ".join(sorted(kind.filters))))
        value = filters[name]
        if value is None or value == "" or value == [] or value == {}:
            continue
        if name == "labelSelector":
            value = _label_selector(value)
        if isinstance(value, bool):
            value = "true" if value else "false"
        for item in value if isinstance(value, (list, tuple)) else [value]:
            pairs.append((name, item))
    return pairs


class _Missing:
    """A cached 404: ``find`` returns None for it, ``get`` raises the API's own error again."""

    def __init__(self, error):
        self.error = error


class RioV2Api:
    """Typed v2 calls over ``client`` (a RioClient). ``cache`` (a LookupCache) may be shared with the run's
    v1 RioApi; without one, this RioV2Api has a cache of its own."""

    def __init__(self, client, sleeper=time.sleep, cache=None):
        self.client = client
        self.sleeper = sleeper
        self.cache = LookupCache() if cache is None else cache
        self._devices = None
        # Kinds whose writes forget only the written object's reads and the kind's lists: a batch whose
        # items each write their own deployment (names unique in it) keeps the others' reads, and the
        # reads of what the deployments use, instead of reading them again after every creation.
        self.writes_forget_one = frozenset()

    @property
    def devices(self):
        """Devices are still the v1 device manager's on v2 (docs/reference/v2-api.md#devices): the v1 calls
        on the same client and cache."""
        if self._devices is None:
            self._devices = RioApi(self.client, sleeper=self.sleeper, cache=self.cache)
        return self._devices

    # -- plumbing -------------------------------------------------------------------------------
    def _call(self, method, path, **kwargs):
        return self.client.request(method, SERVICE, path, **kwargs)

    def forget(self, *kinds):
        """Drop the cached reads of these kinds and of the kinds whose status their writes change."""
        names = set()
        for kind in kinds:
            kind = kind_of(kind)
            names.add(kind.cache_key)
            names.update(KINDS[other].cache_key for other in kind.also_changes)
        self.cache.forget(*names)

    def _forget_written(self, kind, name):
        """After a write of ``name`` (``kind``: a V2Kind)."""
        if kind.name not in self.writes_forget_one:
            self.forget(kind.name)
            return
        self.cache.forget_matching(lambda key: key[0] == kind.cache_key and (key[1] == "list" or key[2] == name))

    @staticmethod
    def _item(kind, name, version=None, guid=None):
        """(path, query) of one object (docs/reference/v2-api.md#packages, #deployments)."""
        if version is not None and kind.name != "Package":
            raise RioError("%s %s: only packages have versions" % (kind.name, name))
        if guid is not None and kind.name != "Deployment":
            raise RioError("%s %s: only deployments are read by guid" % (kind.name, name))
        path = "/v2/%s/%s/" % (kind.plural, quote(str(name), safe=""))
        if kind.name == "Package":
            return path, {"version": version or ""}
        if kind.name == "Deployment":
            return path, {"guid": guid or ""}
        return path, None

    # -- reads ------------------------------------------------------------------------------------
    def _read(self, kind, name, version, guid, cached):
        kind = kind_of(kind)
        path, params = self._item(kind, name, version, guid)

        def load():
            try:
                return self._call("GET", path, params=params)
            except RioNotFound as exc:
                return _Missing(exc)

        return self.cache.get((kind.cache_key, "get", name, version, guid), load) if cached else load()

    def find(self, kind, name, version=None, guid=None, cached=True):
        """One object, or None when there is none. A package without ``version`` is its latest version;
        a deployment without ``guid`` its live incarnation. ``cached=False`` reads the API again (a poll)
        and leaves the run's cache as it was."""
        found = self._read(kind, name, version, guid, cached)
        return None if isinstance(found, _Missing) else found

    def get(self, kind, name, version=None, guid=None, cached=True):
        """One object; raises the API's RioNotFound when there is none."""
        found = self._read(kind, name, version, guid, cached)
        if isinstance(found, _Missing):
            raise found.error
        return found

    def list_objects(self, kind, cached=True, **filters):
        """Every object of a kind that matches the filters (wire names: ``names``, ``labelSelector``,
        ``phases``...), all pages (docs/reference/v2-api.md#lists-and-pagination)."""
        kind = kind_of(kind)
        query = _query(kind, filters)
        path = "/v2/%s/" % kind.plural

        def load():
            items, offset = [], 0
            while True:
                body = self._call("GET", path, params=[("continue", offset), ("limit", LIST_LIMIT)] + query) or {}
                page = body.get("items") or []
                items.extend(page)
                following = (body.get("metadata") or {}).get("continue")
                # The sdk's rule: a short page is the last one; a cursor that does not move ends it too.
                try:
                    following = int(following)
                except (TypeError, ValueError):
                    return items
                if len(page) < LIST_LIMIT or following <= offset:
                    return items
                offset = following

        if not cached:
            return load()
        return self.cache.get((kind.cache_key, "list", tuple(query)), load)

    def remember(self, kind, objects, names):
        """Take full objects a list returned as this run's reads of ``names`` (v2 lists carry whole
        objects, docs/reference/v2-api.md#lists-and-pagination), so that ``find`` answers from them; a
        name the list did not return is remembered as absent. Deployments: the live incarnation."""
        kind = kind_of(kind)
        if kind.name == "Package":
            raise RioError("packages are read by name and version: a list cannot stand for their reads")
        found = dict(((obj.get("metadata") or {}).get("name"), obj) for obj in objects)
        for name in names:
            obj = found.get(name)
            if obj is None:
                path = self._item(kind, name)[0]
                obj = _Missing(RioNotFound(404, "GET", path, "%s %s not found" % (kind.name.lower(), name)))
            self.cache.get((kind.cache_key, "get", name, None, None), lambda value=obj: value)

    def get_organization(self, guid):
        """The organization (its ``metadata.shortGUID`` suffixes static-route names); an organization call,
        sent without the project header (docs/reference/v2-api.md#projects-and-users)."""
        return self.cache.get(("v2:organizations", guid), lambda: self._call(
            "GET", "/v2/organizations/%s/" % quote(str(guid), safe=""), headers={"project": None}))

    # -- writes -----------------------------------------------------------------------------------
    # Creations are never repeated blindly: a POST whose answer was lost (is_ambiguous) may have created
    # the object. After such a failure the object is read back by its name (and version): stored and
    # holding everything that was sent (server-set and write-only fields aside) means this run created it;
    # stored but different means someone else did, a conflict; absent means the POST did not take effect,
    # and it is sent again. A 409 is judged the same way: names are unique on v2, so another run that
    # created the same object at the same time (another slice of an AWX job) leaves it stored as this
    # run would have; that one is adopted, and only a different one is a conflict.
    def create(self, kind, body):
        """POST one document; the stored object. Raises RioConflict when the name is taken."""
        kind = kind_of(kind)
        name, version = self._identity(kind, body)
        path = "/v2/%s/" % kind.plural
        delays = self.client.backoff_delays()
        attempt = 0
        try:
            while True:
                try:
                    return self._call("POST", path, json_body=body)
                except RioConflict:
                    return self._created_by_this_run(kind, name, version, body, path, conflict=True)
                except RioError as exc:
                    if not is_ambiguous(exc) or attempt >= len(delays):
                        raise
                    self.sleeper(delays[attempt])
                    attempt += 1
                    found = self._created_by_this_run(kind, name, version, body, path)
                    if found is not None:
                        return found
        finally:
            self._forget_written(kind, name)

    def _created_by_this_run(self, kind, name, version, body, path, conflict=False):
        stored = self.find(kind.name, name, version, cached=False)
        if stored is None:
            if conflict:
                raise RioConflict(409, "POST", path, "%s %s: the API answered 409 to its creation, yet "
                                  "there is no such object" % (kind.name, name))
            return None
        differing = sent_differences(body, stored, ignored=SERVER_FIELDS | kind.write_only)
        if differing:
            raise RioConflict(409, "POST", path, "%s %s exists and differs from what this run sent in %s: it was "
                              "created by someone else meanwhile" % (kind.name, name, ", ".join(differing[:10])))
        if kind.write_only:
            # The values the stored object cannot show are made those that were sent (PUT replaces).
            return self.put(kind.name, name, body)
        return stored

    @staticmethod
    def _identity(kind, body):
        metadata = body.get("metadata") if isinstance(body, dict) else None
        name = (metadata or {}).get("name")
        if not name:
            raise RioError("%s: the document has no metadata.name" % kind.name)
        version = metadata.get("version") if kind.name == "Package" else None
        if kind.name == "Package" and not version:
            raise RioError("Package %s: the document has no metadata.version" % name)
        return name, version

    def delete(self, kind, name, version=None):
        """DELETE one object (a package needs its version). Raises RioNotFound when there is none; a
        repeat after a lost answer that finds it gone is a success."""
        kind = kind_of(kind)
        if kind.name == "Package" and not version:
            raise RioError("Package %s: deleting a package needs its version" % name)
        path, _params = self._item(kind, name, version)
        params = {"version": version} if version else None
        delays = self.client.backoff_delays()
        attempt, resent = 0, False
        try:
            while True:
                try:
                    self._call("DELETE", path, params=params, retry=False)
                    return
                except RioNotFound:
                    if resent:
                        return  # the first DELETE took effect after the read that sent this one
                    raise
                except RioError as exc:
                    if not is_ambiguous(exc) or attempt >= len(delays):
                        raise
                    self.sleeper(delays[attempt])
                    attempt += 1
                    if self.find(kind.name, name, version, cached=False) is None:
                        return
                    resent = True
        finally:
            self._forget_written(kind, name)

    def put(self, kind, name, body):
        """PUT (replace) a secret or a static route; safe to repeat, so the client retries it."""
        kind = kind_of(kind)
        if not kind.puttable:
            raise RioError("%s %s: the API has no update for this kind" % (kind.name, name))
        try:
            return self._call("PUT", "/v2/%s/%s/" % (kind.plural, quote(str(name), safe="")), json_body=body, retry=True)
        finally:
            self._forget_written(kind, name)

    def patch_deployment(self, deployment):
        """PATCH a deployment with its whole stored object: the platform restarts it (generation + 1)
        (docs/reference/v2-api.md#deployments). After a lost answer, a generation that moved past the one
        sent proves the restart happened; without that proof the error is raised, never a second restart."""
        name = ((deployment or {}).get("metadata") or {}).get("name")
        if not name:
            raise RioError("Deployment: the object has no metadata.name")
        path = "/v2/deployments/%s/" % quote(str(name), safe="")
        try:
            return self._call("PATCH", path, json_body=deployment)
        except RioError as exc:
            if not is_ambiguous(exc):
                raise
            sent = deployment["metadata"].get("generation")
            stored = self.find("Deployment", name, cached=False)
            generation = ((stored or {}).get("metadata") or {}).get("generation")
            if isinstance(sent, int) and isinstance(generation, int) and generation > sent:
                return stored
            raise
        finally:
            self.forget("Deployment")


__all__ = ["KINDS", "LIST_LIMIT", "RioV2Api", "V2Kind", "kind_of", "sent_differences"]

# Copyright: (c) 2026, rapyuta.rio contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause
"""rio_deployment_info filtering and the shape of returned deployments."""

from ansible_collections.rapyuta.rio.plugins.module_utils.v1.constants import LIVE_PHASES
from ansible_collections.rapyuta.rio.plugins.module_utils.deployments.info import deployment_infos


def partial(deployment_id, name, package_id="pkg-a", phase="Succeeded", labels=None, device=None):
    return {"deploymentId": deployment_id, "name": name, "packageId": package_id, "packageName": "a",
            "planId": "plan-a", "phase": phase, "labels": labels or [], "device": device,
            "dependentDeployments": [], "parameters": {"c": {"_secret_like": "x"}}}


class ListingApi:
    """Server-side filters (phase, package, device) like the list endpoint; records queries."""

    def __init__(self, rows):
        self.rows = rows
        self.queries = []
        self.gets = []

    def list_packages(self):
        return [{"packageId": "pkg-a", "packageName": "a", "packageVersion": "v1"},
                {"packageId": "pkg-b", "packageName": "a", "packageVersion": "v2"}]

    def find_device(self, name_or_uuid):
        return {"uuid": "uuid-1", "name": "robot"} if name_or_uuid in ("robot", "uuid-1") else None

    def list_deployments(self, phases=None, package_id=None, device_id=None):
        self.queries.append((tuple(phases or ()), package_id, device_id))
        return [dict(row) for row in self.rows
                if (not phases or row["phase"] in phases)
                and (not package_id or row["packageId"] == package_id)
                and (not device_id or row["device"] == device_id)]

    def get_deployment(self, deployment_id):
        self.gets.append(deployment_id)
        row = next(row for row in self.rows if row["deploymentId"] == deployment_id)
        full = dict(row, status="Running", errors=["DEP_E152"],
                    componentInfo=[{"componentID": "c1", "componentInstanceID": "inst-1", "name": "talker",
                                    "runtime": "device", "status": "running", "phase": "Succeeded",
                                    "errorCode": ["DEP_E152"]}])
        return full


ROWS = [
    partial("dep-1", "talker", labels=[{"key": "site", "value": "alpha"}, {"key": "tier", "value": "1"}],
            device="uuid-1"),
    partial("dep-2", "talker-b", package_id="pkg-b", labels=[{"key": "site", "value": "beta"}]),
    partial("dep-3", "old", phase="Deployment stopped"),
    partial("dep-4", "volume", package_id="io-public-persistent-volume"),
]


def filters(**options):
    base = dict(name=None, package_id=None, package_name=None, package_version=None, device=None, phases=None,
                labels=None, details=False)
    base.update(options)
    return base


def names(result):
    return [dep["name"] for dep in result]


def test_default_lists_live_deployments_without_volumes():
    api = ListingApi(ROWS)
    assert names(deployment_infos(api, filters())) == ["talker", "talker-b"]
    assert api.queries == [(tuple(LIVE_PHASES), None, None)]


def test_stopped_ones_when_asked_for():
    assert names(deployment_infos(ListingApi(ROWS), filters(phases=["Deployment stopped"]))) == ["old"]


def test_package_by_name_and_version_is_a_server_side_filter():
    api = ListingApi(ROWS)
    assert names(deployment_infos(api, filters(package_name="a", package_version="v2"))) == ["talker-b"]
    assert api.queries[0][1] == "pkg-b"
    assert names(deployment_infos(api, filters(package_name="a"))) == ["talker", "talker-b"]


def test_unknown_package_or_device_matches_nothing_without_listing():
    api = ListingApi(ROWS)
    assert deployment_infos(api, filters(package_name="nope")) == []
    assert deployment_infos(api, filters(device="ghost")) == []
    assert api.queries == []


def test_device_name_becomes_its_uuid():
    api = ListingApi(ROWS)
    assert names(deployment_infos(api, filters(device="robot"))) == ["talker"]
    assert api.queries[0][2] == "uuid-1"


def test_labels_must_all_match_and_numbers_compare_as_strings():
    api = ListingApi(ROWS)
    assert names(deployment_infos(api, filters(labels={"site": "alpha", "tier": 1}))) == ["talker"]
    assert deployment_infos(api, filters(labels={"site": "alpha", "tier": "2"})) == []


def test_details_reads_each_match_and_decodes_errors():
    api = ListingApi(ROWS)
    result = deployment_infos(api, filters(name="talker", details=True))
    assert api.gets == ["dep-1"]
    assert result[0]["status"] == "Running"
    assert result[0]["error_explanations"][0].startswith("DEP_E152: ")
    assert result[0]["components"] == [{"name": "talker", "component_id": "c1", "component_instance_id": "inst-1",
                                        "runtime": "device", "phase": "Succeeded", "status": "running",
                                        "error_codes": ["DEP_E152"]}]

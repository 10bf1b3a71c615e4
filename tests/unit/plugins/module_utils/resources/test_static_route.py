# Copyright: (c) 2026, rapyuta.rio contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause
"""The static route kind: the name rule, and the URL the platform gives only on a later read."""

import pytest
from resource_fakes import FakeApi

from ansible_collections.rapyuta.rio.plugins.module_utils.resources.ensure import ResourceInputError, ResourceInUse, ensure
from ansible_collections.rapyuta.rio.plugins.module_utils.resources.static_route import (
    StaticRouteKind,
    check_route_name,
    route_url,
)


@pytest.fixture
def api():
    return FakeApi(ready_after=2)


def route(api, name, check_mode=False, state="present"):
    return ensure(StaticRouteKind(), api, {"name": name, "state": state}, check_mode=check_mode)


def test_a_static_route_gets_its_url_from_a_later_read(api):
    out = route(api, "dashboard-prod")
    assert out["changed"] and out["result"]["url"] == "https://dashboard-prod-p.ep-r.io"
    assert out["result"]["guid"].startswith("staticroute-")
    api.calls = []
    again = route(api, "dashboard-prod")
    assert again["changed"] is False and again["result"]["url_string"] == "dashboard-prod-p.ep-r.io"
    assert api.writes() == []


def test_static_route_check_mode_and_absent(api):
    assert route(api, "abcd", check_mode=True)["changed"] and api.writes() == []
    route(api, "abcd")
    assert route(api, "abcd", state="absent")["changed"]
    assert route(api, "abcd", state="absent")["changed"] is False


@pytest.mark.parametrize("name, reason", [
    ("abc", "4 to 64 characters"),
    ("a" * 65, "4 to 64 characters"),
    ("1abc", "start with a lower-case letter"),
    ("Abcd", "start with a lower-case letter"),
    ("ab_cd", "lower-case letters, digits and '-'"),
])
def test_bad_route_names_are_refused_before_any_request(api, name, reason):
    assert reason in check_route_name(name)
    with pytest.raises(ResourceInputError) as err:
        route(api, name)
    assert err.value.field == "name" and name in str(err.value)
    assert api.writes() == []


def test_good_route_names():
    assert check_route_name("abcd") is None
    assert check_route_name("a-1-" + "b" * 60) is None


def test_the_url_gets_a_scheme_only_when_it_has_none():
    assert route_url("web-p.ep-r.io") == "https://web-p.ep-r.io"
    assert route_url("http://web.local") == "http://web.local"
    assert route_url("") is None and route_url(None) is None


def test_a_check_mode_creation_predicts_no_url():
    predicted = StaticRouteKind().predicted("abcd", {})
    assert predicted["name"] == "abcd" and predicted["guid"] is None and predicted["url"] is None


def test_deleting_a_static_route_a_deployment_uses_is_refused_naming_it(api):
    guid = route(api, "dashboard-prod")["result"]["guid"]
    api.deploy("web", component_context={"comp-1": {"static_route_config": {"ep": guid}}, "comp-2": {}})
    api.deploy("idle", component_context={"comp-1": {}})
    before = len(api.writes())
    for check_mode in (True, False):
        with pytest.raises(ResourceInUse) as err:
            route(api, "dashboard-prod", check_mode=check_mode, state="absent")
        assert "'web' (dep-web, Succeeded)" in str(err.value) and "idle" not in str(err.value)
    assert len(api.writes()) == before
    api.deployments[0]["phase"] = "Deployment stopped"
    assert route(api, "dashboard-prod", state="absent")["changed"] is True

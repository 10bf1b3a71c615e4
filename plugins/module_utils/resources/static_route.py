# Copyright: (c) 2026, rapyuta.rio contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause
"""Static routes for rio_static_route (docs/reference/v1-api.md#static-routes). FOR INTERNAL COLLECTION USE ONLY: may change in any release.

A static route is only a name (its URL prefix); the platform gives it a guid and a host name
(``urlString``, filled on a later read, not in the creation answer).
"""

import re

from ansible_collections.rapyuta.rio.plugins.module_utils.resources.ensure import (
    ResourceInputError,
    ResourceKind,
    refuse_if_used,
)

NAME_PATTERN = re.compile(r"^[a-z][a-z0-9-]*$")
NAME_MIN, NAME_MAX = 4, 64


def check_route_name(name):
    """None when the name follows the platform rule, else the reason."""
    if not isinstance(name, str) or not name:
        return "must be a non-empty string"
    if not NAME_MIN <= len(name) <= NAME_MAX:
        return "must be %d to %d characters long (it has %d)" % (NAME_MIN, NAME_MAX, len(name))
    if not NAME_PATTERN.match(name):
        return "must start with a lower-case letter and hold only lower-case letters, digits and '-'"
    return None


def route_url(url_string):
    if not url_string:
        return None
    return url_string if "://" in url_string else "https://" + url_string


class StaticRouteKind(ResourceKind):
    label = "static route"
    result_key = "static_route"

    def find(self, api, name):
        return api.find_static_route(name)

    def complete(self, api, live):
        if live.get("urlString") or not live.get("guid"):
            return live
        return api.get_static_route(live["guid"]) or live

    def normalize(self, live):
        return {"name": live.get("urlPrefix")}

    def desired(self, api, params):
        name = params["name"]
        reason = check_route_name(name)
        if reason:
            raise ResourceInputError("name", "static route name %r %s" % (name, reason))
        return {"name": name}

    def create(self, api, params, desired):
        created = api.create_static_route(params["name"])
        return self.complete(api, created or {})

    def check_delete(self, api, live):
        guid = live.get("guid")
        refuse_if_used(api, "%s (%s)" % (self.describe(live.get("urlPrefix")), guid), lambda context: any(
            guid in ((entry or {}).get("static_route_config") or {}).values()
            for entry in (context.get("component_context") or {}).values()))

    def delete(self, api, live):
        api.delete_static_route(live["guid"])

    def result(self, obj):
        return {
            "name": obj.get("urlPrefix"),
            "guid": obj.get("guid"),
            "url_string": obj.get("urlString") or None,
            "url": route_url(obj.get("urlString")),
            "creator": obj.get("creator"),
            "created_at": obj.get("CreatedAt"),
        }

    def predicted(self, name, desired):
        return {"name": name, "guid": None, "url_string": None, "url": None, "creator": None, "created_at": None}

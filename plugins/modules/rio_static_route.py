#!/usr/bin/python
# Copyright: (c) 2026, rapyuta.rio contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

DOCUMENTATION = r'''
---
module: rio_static_route
short_description: Create and delete rapyuta.io static routes
version_added: 1.0.0
description:
  - Ensures that a static route (a stable public host name for a cloud endpoint), identified by its O(name)
    (the URL prefix), exists (O(state=present)) or is deleted (O(state=absent)).
  - The name is checked before any request, by the platform's rule; on v1 a static route has no other settings.
  - With O(api_version=v2) the route is a v2 C(StaticRoute) document (C(docs/reference/v2-api.md#static-routes)
    in the collection). The platform stores it as C(<name>-<organization short id>) and answers to both
    names; the module treats both as the same route, so a task may give either, and a route is always created
    under the name without the suffix. When its source ranges (O(source_ip_range)) differ, the route is
    updated in place; the result carries the v2 object as RV(resource).
author: "rapyuta.rio contributors (@rapyuta-rio)"
options:
  name:
    description:
      - The URL prefix. 4 to 64 characters, starting with a lower-case letter, then lower-case letters,
        digits and C(-) (V(^[a-z][a-z0-9-]*$)).
      - On v2 the route's C(metadata.name); the name with the organization's short id appended (as the
        platform stores it) names the same route.
    type: str
    required: true
  source_ip_range:
    description:
      - The IPv4 ranges (CIDR, for example V(10.0.0.0/8)) the route accepts traffic from; the route's
        C(spec.sourceIPRange). A route whose ranges differ is updated in place. When omitted, the ranges of
        an existing route are not compared.
      - v2 only. Refused on v1 (v1 routes have no such setting) before any request; each range is checked
        before any request.
    type: list
    elements: str
  state:
    description:
      - V(present) creates the route unless it exists.
      - V(absent) deletes it; already absent is not an error. A route that a deployment uses (any phase but
        V(Deployment stopped); on v2 V(Stopped)) is not deleted; the task fails naming those deployments, before any write.
    type: str
    choices: [present, absent]
    default: present
attributes:
  diff_mode:
    support: full
    details: Before and after hold the name (on v2 also the declared C(spec), the source ranges).
extends_documentation_fragment:
  - rapyuta.rio.rio_auth
  - rapyuta.rio.attributes
notes:
  - The platform may refuse names containing words it reserves; that error is reported as the API gives it.
  - Deleting reads every deployment that is not stopped (one request each) to find the ones that use the
    route (the deployment list does not say).
  - Whether the platform lets two deployments use the same route is not known (the API reference does not
    say). M(rapyuta.rio.rio_deployment) does not refuse a route that another deployment uses, since refusing
    could block a setup the platform accepts. What the platform answers is reported as it gives it.
seealso:
  - module: rapyuta.rio.rio_deployment
'''

EXAMPLES = r'''
- name: A static route for the dashboard
  rapyuta.rio.rio_static_route:
    name: dashboard-prod
  register: route

- name: Show its URL
  ansible.builtin.debug:
    msg: "{{ route.static_route.url }}"

- name: Delete it
  rapyuta.rio.rio_static_route:
    name: dashboard-prod
    state: absent

- name: A static route on today's platform, reachable from the office only
  rapyuta.rio.rio_static_route:
    name: dashboard-prod
    source_ip_range:
      - 203.0.113.0/24
    api_version: v2
  register: v2_route

- name: Its host name (the platform appends the organization's short id)
  ansible.builtin.debug:
    msg: "{{ v2_route.static_route.url }}"
'''

RETURN = r'''
static_route:
  description:
    - The route (after creation, or as found). With O(state=absent), the deleted route, or C({}) when it was absent.
    - In check mode a creation returns the name with the other fields null.
    - On v2 the same keys, from the v2 object (RV(resource)); C(name) is the name as stored (with the
      organization's short id), C(url_string) the route's C(spec.url).
  returned: always
  type: dict
  contains:
    name:
      description: The URL prefix.
      type: str
      sample: dashboard-prod
    guid:
      description: The route guid.
      type: str
      sample: staticroute-abcdefghijklmnopqrstuvwx
    url_string:
      description: The host name the platform assigned, as the API gives it.
      type: str
      sample: dashboard-prod-abcdef.ep-r.io
    url:
      description: The route as an C(https://) URL (null when the platform has not assigned a host name yet).
      type: str
      sample: https://dashboard-prod-abcdef.ep-r.io
    creator:
      description: The user guid that created the route.
      type: str
      sample: user-abcdefghijklmnopqrstuvwx
    created_at:
      description: Creation time.
      type: str
      sample: "2026-11-25T02:00:00Z"
    source_ip_range:
      description: The source ranges of the route (v2 only).
      returned: with O(api_version=v2)
      type: list
      elements: str
      sample: ["203.0.113.0/24"]
resource:
  description:
    - The v2 C(StaticRoute) object as the API returned it (after creation, or as found); for a deletion the
      deleted object; in check mode the document for what would be created; C({}) when absent.
  returned: with O(api_version=v2)
  type: dict
  sample: {"apiVersion": "api.rapyuta.io/v2", "kind": "StaticRoute", "metadata": {"name": "dashboard-prod-abcdef",
           "guid": "staticroute-abcdefghijklmnopqrstuvwx"}, "spec": {"url": "dashboard-prod-abcdef.ep-r.io",
           "sourceIPRange": ["203.0.113.0/24"]}, "status": {"status": "Available"}}
msg:
  description: What was done.
  returned: always
  type: str
  sample: static route 'dashboard-prod' created
action:
  description: V(create), V(delete) or V(none); on v2 also V(update) (other source ranges).
  returned: always
  type: str
  sample: create
'''

from ansible_collections.rapyuta.rio.plugins.module_utils.module.rio_module import RioModule
from ansible_collections.rapyuta.rio.plugins.module_utils.resources.ensure import run_ensure
from ansible_collections.rapyuta.rio.plugins.module_utils.resources.static_route import StaticRouteKind
from ansible_collections.rapyuta.rio.plugins.module_utils.resources.v2 import V2StaticRoute, run_v2


def main(direct=None):
    rio = RioModule(
        dict(
            name=dict(type="str", required=True),
            state=dict(type="str", choices=["present", "absent"], default="present"),
            source_ip_range=dict(type="list", elements="str"),
        ),
        direct=direct,
        api_versions=("v1", "v2"),
    )
    if rio.api_version == "v2":
        run_v2(rio, V2StaticRoute())
    elif rio.params.get("source_ip_range"):
        rio.fail("source_ip_range: v1 static routes take no source ranges (a v2 setting); remove it, or set "
                 "api_version: v2", field="source_ip_range", changed=False)
    else:
        run_ensure(rio, StaticRouteKind(), wait_options=False)


if __name__ == "__main__":
    main()

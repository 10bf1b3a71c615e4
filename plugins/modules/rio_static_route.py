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
  - The name is checked before any request, by the platform's rule; a static route has no other settings.
author: "rapyuta.rio contributors (@rapyuta-rio)"
options:
  name:
    description:
      - The URL prefix. 4 to 64 characters, starting with a lower-case letter, then lower-case letters,
        digits and C(-) (V(^[a-z][a-z0-9-]*$)).
    type: str
    required: true
  state:
    description:
      - V(present) creates the route unless it exists.
      - V(absent) deletes it; already absent is not an error. A route that a deployment uses (any phase but
        V(Deployment stopped)) is not deleted; the task fails naming those deployments, before any write.
    type: str
    choices: [present, absent]
    default: present
attributes:
  diff_mode:
    support: full
    details: Before and after hold the name.
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
'''

RETURN = r'''
static_route:
  description:
    - The route (after creation, or as found). With O(state=absent), the deleted route, or C({}) when it was absent.
    - In check mode a creation returns the name with the other fields null.
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
msg:
  description: What was done.
  returned: always
  type: str
  sample: static route 'dashboard-prod' created
action:
  description: V(create), V(delete) or V(none).
  returned: always
  type: str
  sample: create
'''

from ansible_collections.rapyuta.rio.plugins.module_utils.module.rio_module import RioModule
from ansible_collections.rapyuta.rio.plugins.module_utils.resources.ensure import run_ensure
from ansible_collections.rapyuta.rio.plugins.module_utils.resources.static_route import StaticRouteKind


def main(direct=None):
    rio = RioModule(
        dict(
            name=dict(type="str", required=True),
            state=dict(type="str", choices=["present", "absent"], default="present"),
        ),
        direct=direct,
    )
    run_ensure(rio, StaticRouteKind(), wait_options=False)


if __name__ == "__main__":
    main()

# Copyright: (c) 2026, rapyuta.rio contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

DOCUMENTATION = r'''
---
name: rio_devices
short_description: The devices of a rapyuta.io project as inventory hosts
version_added: 1.0.0
description:
  - Makes every device of the project a host, named after the device (see O(hostname)), with its uuid,
    status, labels, configuration variables, runtime, ROS distribution and, when known, CPU architecture
    as host variables (prefix O(vars_prefix)).
  - Devices can be filtered by status, labels and a name pattern, and grouped with the usual
    O(keyed_groups), O(groups) and O(compose) options. Keyed groups on the host variables group robots
    by every label (key C(rio_labels), giving C(label_site_alpha), ...), status (C(rio_status)), runtime
    (C(rio_runtimes), a list, so a device that offers both runtimes is in both groups) and architecture
    (C(rio_architecture)); see the examples.
  - Works the same under O(api_version=v2) (for example E(RIO_API_VERSION=v2) from an AWX credential), with
    or without riocli's config file. Devices have no v2 API, so they are always read from
    the device manager of the core API (O(core_api_host)) and the v2 host is not used.
  - The configuration file name must end with C(rio_devices.yml) or C(rio_devices.yaml).
  - Hosts get no connection settings. API modules run on the controller, so tasks that call them per
    device delegate them to C(localhost) (C(delegate_to)); tasks that run on the robots need the usual SSH settings
    (for example through O(compose)).
  - Sets C(rio_fleet_leader), a variable of the C(all) group, to the first host name it adds, in name order,
    the fleet's leader. With AWX job slicing every slice keeps the C(all) group's variables but only some of the
    hosts, and the fleet roles let the one run whose inventory holds the leader create what the robots share
    (packages, networks, the cloud deployment); the other slices wait for it (see C(docs/awx.md)). A variable
    set in C(group_vars/all) wins over it. Not set when no host is added.
author: "rapyuta.rio contributors (@rapyuta-rio)"
extends_documentation_fragment:
  - rapyuta.rio.rio_auth
  - rapyuta.rio.rio_auth.PLUGINS
  - constructed
  - inventory_cache
options:
  plugin:
    description: The name of this plugin; makes the file an inventory source for it.
    type: str
    required: true
    choices: [rapyuta.rio.rio_devices]
  status:
    description:
      - Only devices in one of these statuses, for example V([ONLINE]). Empty keeps every device.
      - Each value must be one of V(ONLINE), V(OFFLINE), V(REJECTED), V(ACCEPTED), V(REGISTERED),
        V(INITIALIZING), V(FAILED), V(NEW), V(DELETED) (exact case, as in M(rapyuta.rio.rio_device_info));
        another value makes the source fail to parse, before any request.
    type: list
    elements: str
    default: []
  labels:
    description:
      - Only devices carrying all these labels with these values.
    type: dict
    default: {}
  name_pattern:
    description:
      - Only devices whose name matches this regular expression (Python C(re.search)).
    type: str
  filters:
    description:
      - The same filters grouped in one dictionary, for those used to that style. Given here and at the top
        level, V(status) and V(name_pattern) from here win and the labels are merged.
    type: dict
    default: {}
    suboptions:
      status:
        description: Only devices in one of these statuses.
        type: list
        elements: str
      labels:
        description: Only devices carrying all these labels with these values.
        type: dict
      name_pattern:
        description: Only devices whose name matches this regular expression.
        type: str
  hostname:
    description:
      - What names the hosts. Two devices with the same name make the second one fall back to its uuid,
        with a warning.
    type: str
    choices: [name, uuid]
    default: name
  vars_prefix:
    description:
      - Prefix of the host variables (C(<prefix>uuid), C(<prefix>status), C(<prefix>labels), ...).
    type: str
    default: rio_
  architecture:
    description:
      - Learn the CPU architecture of the online devices with the platform's device selection query (one
        request per architecture, three in all). Devices it does not match get the architecture from a
        configuration variable (C(architecture), C(arch) or C(cpuarch)) if any; else the variable is not set.
    type: bool
    default: true
notes:
  - One request lists the devices; configuration variables are read per kept device only when the list
    lacks them. With caching enabled, the filtered, converted device list is cached per source file.
seealso:
  - module: rapyuta.rio.rio_device_info
'''

EXAMPLES = r'''
# robots.rio_devices.yml: online devices only, grouped by label and ROS distribution.
# Credentials come from RIO_AUTH_TOKEN and RIO_PROJECT in the environment.
plugin: rapyuta.rio.rio_devices
status: [ONLINE]
keyed_groups:
  - key: rio_labels.site
    prefix: site
  - key: rio_ros_distro
    prefix: ros
  - key: rio_architecture | default('unknown')
    prefix: arch
groups:
  docker_robots: "'dockercompose' in rio_runtimes"

---
# fleet.rio_devices.yml: every device, grouped by each label (label_site_alpha, label_tier_edge, ...), status
# (status_ONLINE, status_OFFLINE), runtime (runtime_dockercompose, runtime_preinstalled) and architecture
# (arch_amd64, arch_arm64v8, arch_unknown for the devices the selection query did not place).
# The same file serves a v2 fleet: RIO_API_VERSION=v2 changes nothing here.
plugin: rapyuta.rio.rio_devices
keyed_groups:
  - key: rio_labels
    prefix: label
  - key: rio_status
    prefix: status
  - key: rio_runtimes
    prefix: runtime
  - key: rio_architecture | default('unknown')
    prefix: arch

---
# alpha.rio_devices.yml: devices labelled site=alpha whose name starts with "robot-", cached for an hour.
plugin: rapyuta.rio.rio_devices
labels:
  site: alpha
name_pattern: "^robot-"
cache: true
cache_plugin: ansible.builtin.jsonfile
cache_connection: ~/.cache/rio_devices
cache_timeout: 3600
compose:
  ansible_host: rio_config_variables.ssh_host | default(omit)
'''

from ansible.errors import AnsibleParserError
from ansible.module_utils.common.text.converters import to_native
from ansible.plugins.inventory import BaseInventoryPlugin, Cacheable, Constructable

from ansible_collections.rapyuta.rio.plugins.module_utils.v1.api import RioApi
from ansible_collections.rapyuta.rio.plugins.module_utils.transport.client import RioClient, RioError, explain_error
from ansible_collections.rapyuta.rio.plugins.module_utils.module.arguments import client_kwargs, out_of_range
from ansible_collections.rapyuta.rio.plugins.module_utils.devices.device import STATUSES, collect_devices
from ansible_collections.rapyuta.rio.plugins.plugin_utils.plain_templates import NOT_LOOKED_UP, looked_up

# Device fields that become host variables (with the prefix); architecture only when known.
HOST_VARS = ("uuid", "name", "status", "description", "labels", "config_variables", "runtime", "runtimes",
             "ros_distro", "architecture", "python_version", "last_online", "registration_time")


class InventoryModule(BaseInventoryPlugin, Constructable, Cacheable):
    NAME = "rapyuta.rio.rio_devices"

    def verify_file(self, path):
        if not super().verify_file(path):
            return False
        return path.endswith(("rio_devices.yml", "rio_devices.yaml"))

    def parse(self, inventory, loader, path, cache=True):
        super().parse(inventory, loader, path, cache)
        self._read_config_data(path)
        cache_key = self.get_cache_key(path)
        use_cache = self.get_option("cache") and cache
        update_cache = self.get_option("cache") and not cache
        devices = None
        if use_cache:
            try:
                devices = self._cache[cache_key]
            except KeyError:
                update_cache = True
        if devices is None:
            devices = self._fetch_devices()
        if update_cache:
            self._cache[cache_key] = devices
        self._populate(devices)

    def _fetch_devices(self):
        grouped = self.get_option("filters") or {}
        labels = dict(self.get_option("labels") or {})
        labels.update(grouped.get("labels") or {})
        filters = dict(statuses=grouped.get("status") or self.get_option("status"), labels=labels,
                       name_pattern=grouped.get("name_pattern") or self.get_option("name_pattern"))
        problems = out_of_range(self.get_option, names=("timeout", "retries"))
        # As rio_device_info's choices: an unknown status (UP, online) would match no device and give an
        # empty inventory that looks like a fleet with nothing online.
        unknown = [value for value in filters["statuses"] or [] if value not in STATUSES]
        if unknown:
            problems.append("value of status must be one or more of: %s. Got no match for: %s"
                            % (", ".join(STATUSES), ", ".join(str(value) for value in unknown)))
        if problems:
            raise AnsibleParserError("rapyuta.rio.rio_devices: %s" % "; ".join(problems))
        try:
            api = RioApi(RioClient(**client_kwargs(self.get_option)))
            return collect_devices(api, filters, architecture=self.get_option("architecture"), warn=self.display.warning)
        except RioError as exc:
            raise AnsibleParserError("rapyuta.rio.rio_devices: cannot list the devices: %s" % to_native(explain_error(exc)))

    def _compose(self, template, variables, *args, **kwargs):
        # keyed_groups and compose evaluate their expression for every host, and ansible-core compiles
        # it again each time: at 1,000 robots the two keyed groups of the sample inventory were two
        # thirds of the inventory's time. An expression that only names a variable is looked up.
        try:
            extra = self.get_option("use_extra_vars")
        except Exception:  # pylint: disable=broad-exception-caught  # as ansible-core's _compose: no such option
            extra = False
        value = NOT_LOOKED_UP if extra else looked_up(template, variables)
        if value is NOT_LOOKED_UP:
            return super()._compose(template, variables, *args, **kwargs)
        return value

    def _populate(self, devices):
        prefix = self.get_option("vars_prefix") or ""
        strict = self.get_option("strict")
        by = self.get_option("hostname")
        taken = set()
        for device in devices:
            hostname = device.get(by) or device.get("uuid")
            if hostname in taken:
                self.display.warning("rapyuta.rio.rio_devices: device name %r is used by more than one device; "
                                     "naming device %s by its uuid" % (hostname, device.get("uuid")))
                hostname = device.get("uuid")
            taken.add(hostname)
            self.inventory.add_host(hostname)
            hostvars = {}
            for key in HOST_VARS:
                if key == "architecture" and not device.get(key):
                    continue
                hostvars[prefix + key] = device.get(key)
            for key, value in hostvars.items():
                self.inventory.set_variable(hostname, key, value)
            self._set_composite_vars(self.get_option("compose"), hostvars, hostname, strict=strict)
            self._add_host_to_composed_groups(self.get_option("groups"), hostvars, hostname, strict=strict)
            self._add_host_to_keyed_groups(self.get_option("keyed_groups"), hostvars, hostname, strict=strict)
        if taken:
            # Not under vars_prefix: the fleet roles read this one name, whatever the host variables are called.
            self.inventory.set_variable("all", "rio_fleet_leader", min(taken))

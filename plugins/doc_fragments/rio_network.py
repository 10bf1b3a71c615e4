# Copyright: (c) 2026, rapyuta.rio contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later


class ModuleDocFragment:
    # What rio_routed_network and rio_native_network share (argument spec: module_utils/resources/network.py
    # network_argument_spec()). Each module documents only what its kind adds or changes; a module's own
    # keys of an option (its description, say) replace this fragment's.
    DOCUMENTATION = r'''
options:
  name:
    description:
      - The network name, unique among the live networks of its kind in the project.
    type: str
    required: true
  state:
    description:
      - V(present) creates the network unless a live one with this name and the declared settings exists.
      - V(absent) deletes the live network with this name; already absent is not an error. A network that a
        deployment still uses (any phase but V(Deployment stopped); on v2 any phase but V(Stopped)) is not
        deleted; the task fails naming those deployments, before any write (the platform would refuse the deletion).
    type: str
    choices: [present, absent]
    default: present
  runtime:
    description:
      - Where the network runs. Defaults to V(device) when O(device) is set, else V(cloud).
      - On v2 it is the network's C(spec.runtime).
    type: str
    choices: [cloud, device]
  ros_distro:
    description:
      - The ROS distribution of the network (on v2 C(spec.rosDistro)).
    type: str
    choices: [kinetic, melodic, noetic]
    default: melodic
  limits:
    description:
      - CPU and memory limits of the network.
      - When omitted, the limits of an existing network are not compared.
      - On v2 they are the network's C(spec.resourceLimits); the platform takes CPU in steps of V(0.025) up to
        V(4) cores and memory in steps of V(128) MiB up to V(16384), and other values are refused before any request.
    type: dict
    suboptions:
      cpu:
        description: CPU cores (a positive number, for example V(0.5)).
        type: float
        required: true
      memory:
        description: Memory in MiB (a positive integer).
        type: int
        required: true
  device:
    description:
      - The device (name or uuid) that runs a device network.
      - The device must be V(ONLINE) when the network is created, else the task fails before any write,
        as M(rapyuta.rio.rio_deployment) does (the platform would fail the network with C(DEP_E151) and
        leave it behind).
      - On v2 it is the network's C(spec.depends) (kind C(Device), the device as given); a live network that
        names the same device by its other spelling (name or uuid) is the same network.
    type: str
  network_interface:
    description:
      - The device network interface the network binds to, for example V(eth0). Required with O(device).
      - Must be one of the interfaces the device reports; checked before the network is created.
      - On v2 it is the network's C(spec.networkInterface).
    type: str
  restart_policy:
    description:
      - Restart policy of a device network. When omitted, none is sent for a new network and the policy of
        an existing network is not compared.
      - On v2 it is the network's C(spec.restartPolicy) (V(on_failure) is sent as C(onfailure)).
    type: str
    choices: [always, never, on_failure]
  on_change:
    description:
      - What to do when a live network with this name has other settings than the task declares.
      - V(fail) fails and lists the differing fields; nothing is changed.
      - V(recreate) deletes it, waits until it is gone and creates the declared one. A network that live
        deployments use is not recreated (the task fails naming them, before any write).
      - The same on v2, where networks cannot be updated either.
    type: str
    choices: [fail, recreate]
    default: fail
notes:
  - Networks cannot be updated on the platform. A live network whose settings differ from the task is
    handled per O(on_change), and the differing fields are listed.
  - Deleted networks stay listed by the platform with phase V(Deployment stopped); they are ignored, so a
    deleted name can be used again.
  - The network is ready when its internal deployment reaches phase V(Succeeded) with status V(Running);
    phase V(Failed to start) or a permanent error code fails the task with the decoded causes.
  - A converged run only reads (the network list, plus one read of the network when O(wait=true)); on v2 one
    read of the network, plus the device list for a device network.
  - Deleting reads every deployment that is not stopped (one request each) to find the ones that use the
    network (the deployment list does not say). On v2 the deployment list says, so it is one request.
  - "With O(api_version=v2) the options become one v2 C(Network) document
    (C(docs/reference/v2-api.md#v1-to-v2-mapping) and C(#networks) in the collection),
    applied as M(rapyuta.rio.rio_resource) applies it: compared field by field (only the declared fields),
    created, or handled per O(on_change); the wait ends at phase V(Succeeded) with status V(Running), and
    phase V(FailedToStart) (for example C(DEP_E151), a device gone offline) fails the task at once with the
    decoded cause. The result carries the v2 object as RV(resource)."
seealso:
  - module: rapyuta.rio.rio_deployment
  - module: rapyuta.rio.rio_device_info
attributes:
  diff_mode:
    support: full
    details: >-
      Before and after are the network's settings, that is RV(network) without C(name), C(guid) and the fields
      of the internal deployment (on v2 the declared fields of the Network document, C(spec.*)).
'''

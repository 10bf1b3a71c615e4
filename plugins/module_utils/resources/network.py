# Copyright: (c) 2026, rapyuta.rio contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause
"""Routed and native networks for rio_routed_network and rio_native_network (docs/reference/v1-api.md#networks).
FOR INTERNAL COLLECTION USE ONLY: may change in any release.

A network is immutable on the platform: created by name, read, deleted (it then stays listed with
phase ``Deployment stopped``). Both kinds share this code; they differ only in ``shared`` (routed
networks), in where limits are allowed, and in the noetic rule (native networks).
"""

from ansible_collections.rapyuta.rio.plugins.module_utils.v1.constants import (
    GONE_PHASES,
    NATIVE,
    ROUTED,
    RestartPolicy,
    ROSDistro,
    Runtime,
)
from ansible_collections.rapyuta.rio.plugins.module_utils.devices.device import ONLINE, interface_names
from ansible_collections.rapyuta.rio.plugins.module_utils.module.arguments import wait_argument_spec
from ansible_collections.rapyuta.rio.plugins.module_utils.resources.ensure import (
    ResourceInputError,
    ResourceKind,
    refuse_if_used,
)
from ansible_collections.rapyuta.rio.plugins.module_utils.v1.wait import (
    as_code_list,
    deployment_state,
    describe_deployment,
)

# Option value -> wire value (the SDK's RestartPolicy, docs/reference/v1-api.md#restart-policy) and back.
RESTART_POLICIES = {option: RestartPolicy.wire_value(option) for option in ("always", "never", "on_failure")}
_RESTART_FROM_WIRE = dict((wire, option) for option, wire in RESTART_POLICIES.items())
DEFAULT_DEVICE_RESTART_POLICY = "always"


def restart_policy_from_wire(value):
    if value is None or value == "":
        return None
    return _RESTART_FROM_WIRE.get(value, value)


def normalize_limits(limits):
    """{"cpu": float, "memory": int} or None; numbers from the wire may be strings or ints."""
    if not limits:
        return None
    cpu, memory = limits.get("cpu"), limits.get("memory")
    try:
        cpu = float(cpu) if cpu is not None else None
    except (TypeError, ValueError):
        pass
    try:
        memory = int(memory) if memory is not None else None
    except (TypeError, ValueError):
        pass
    return {"cpu": cpu, "memory": memory}


def status_view(network):
    """phase/status/errors of a network's internal deployment, in a deployment's key names."""
    internal = network.get("internalDeploymentStatus") or {}
    return {
        "phase": network.get("phase") or internal.get("phase"),
        "status": network.get("status") or internal.get("status"),
        "errors": as_code_list(network.get("error_code") or internal.get("error_code")),
    }


class NetworkKind(ResourceKind):
    can_wait = True
    path = None
    has_shared = False

    def __init__(self):
        self.result_key = "network"

    # -- reading ------------------------------------------------------------------------------
    def find(self, api, name):
        return api.find_network(self.path, name)

    def refresh(self, api, live):
        return api.get_network(self.path, live["guid"])

    def normalize(self, live):
        parameters = live.get("parameters") or {}
        runtime = live.get("runtime")
        form = {
            "runtime": runtime,
            "ros_distro": live.get("rosDistro"),
            "limits": normalize_limits(parameters.get("limits")),
            "device_id": parameters.get("device_id") or None,
            "network_interface": parameters.get("NETWORK_INTERFACE") or None,
            "restart_policy": restart_policy_from_wire(parameters.get("restart_policy")),
        }
        if self.has_shared:
            form["shared"] = bool(live.get("shared"))
        return form

    # -- desired state -------------------------------------------------------------------------
    def desired(self, api, params):
        name = params["name"]
        device = params.get("device")
        runtime = params.get("runtime") or ("device" if device else "cloud")
        ros_distro = params.get("ros_distro") or "melodic"
        if runtime == "device" and not device:
            raise ResourceInputError("device", "runtime=device needs the device option")
        if runtime == "cloud":
            for option in ("device", "network_interface", "restart_policy"):
                if params.get(option):
                    raise ResourceInputError(option, "%s is only for runtime=device networks" % option)
        if runtime == "device" and not params.get("network_interface"):
            raise ResourceInputError("network_interface", "runtime=device needs network_interface "
                                     "(an interface of device %r)" % device)
        self.check_rules(name, runtime, ros_distro, params)
        limits = params.get("limits")
        if limits:
            for key in ("cpu", "memory"):
                if limits.get(key) is None or limits.get(key) <= 0:
                    raise ResourceInputError("limits.%s" % key, "limits.%s must be a positive number, got %r" % (
                        key, limits.get(key)))
        form = {
            "runtime": runtime,
            "ros_distro": ros_distro,
            "limits": normalize_limits(limits),
            "device_id": None,
            "network_interface": params.get("network_interface") if runtime == "device" else None,
            "restart_policy": params.get("restart_policy"),
        }
        if self.has_shared:
            form["shared"] = bool(params.get("shared"))
        if runtime == "device":
            found = api.find_device(device)
            if found is None:
                raise ResourceInputError("device", "device %r not found in the project" % device)
            form["device_id"] = found.get("uuid")
        return form

    def check_rules(self, name, runtime, ros_distro, params):
        """Per-kind rules on runtime, distro and limits."""

    def check_create(self, api, params, desired):
        if desired["runtime"] != "device":
            return
        device = api.get_device(desired["device_id"]) or {}
        status = device.get("status")
        if status != ONLINE:
            # As rio_deployment does: the platform would fail the network's deployment (DEP_E151)
            # and leave the failed network behind.
            raise ResourceInputError("device", "device %r (%s) is %s, not %s: the platform would fail the network "
                                     "(DEP_E151, device offline or unreachable); nothing was written"
                                     % (params.get("device"), desired["device_id"], status, ONLINE))
        interfaces = interface_names(device)
        wanted = desired["network_interface"]
        if wanted not in interfaces:
            raise ResourceInputError("network_interface", "network_interface %r is not an interface of device %r "
                                     "(its interfaces: %s)" % (wanted, params.get("device"),
                                                               ", ".join(interfaces) or "none reported"))

    # -- writing -------------------------------------------------------------------------------
    def body(self, name, desired):
        raise NotImplementedError

    def create(self, api, params, desired):
        return api.create_network(self.path, self.body(params["name"], desired))

    def check_delete(self, api, live):
        key = "routedNetworks" if self.path == ROUTED else "nativeNetworks"
        guid = live.get("guid")
        refuse_if_used(api, "%s (%s)" % (self.describe(live.get("name")), guid),
                       lambda context: any(entry.get("guid") == guid for entry in context.get(key) or []))

    def delete(self, api, live):
        api.delete_network(self.path, live["guid"])

    # -- waiting -------------------------------------------------------------------------------
    def ready_state(self, obj):
        return deployment_state(status_view(obj))

    def is_gone(self, obj):
        return status_view(obj)["phase"] in GONE_PHASES

    def explain(self, obj):
        return describe_deployment(status_view(obj))

    # -- output --------------------------------------------------------------------------------
    def result(self, obj):
        form = self.normalize(obj)
        view = status_view(obj)
        form.update(
            name=obj.get("name"),
            guid=obj.get("guid"),
            internal_deployment_id=obj.get("internalDeploymentGUID"),
            phase=view["phase"],
            status=view["status"],
            error_codes=view["errors"],
        )
        return form

    def predicted(self, name, desired):
        result = dict(desired)
        result.update(name=name, guid=None, internal_deployment_id=None, phase=None, status=None, error_codes=[])
        return result


def _device_parameters(desired, default_restart_policy=None):
    parameters = {"device_id": desired["device_id"], "NETWORK_INTERFACE": desired["network_interface"]}
    policy = desired.get("restart_policy") or default_restart_policy
    if policy:
        parameters["restart_policy"] = RESTART_POLICIES[policy]
    return parameters


class RoutedNetworkKind(NetworkKind):
    label = "routed network"
    path = ROUTED
    has_shared = True

    def check_rules(self, name, runtime, ros_distro, params):
        if runtime == "device" and params.get("limits"):
            raise ResourceInputError("limits", "limits apply to cloud routed networks only")

    def body(self, name, desired):
        body = {"name": name, "runtime": desired["runtime"], "rosDistro": desired["ros_distro"],
                "shared": bool(desired.get("shared"))}
        if desired["runtime"] == "device":
            body["parameters"] = _device_parameters(desired, DEFAULT_DEVICE_RESTART_POLICY)
        else:
            body["parameters"] = {"limits": desired["limits"]} if desired.get("limits") else {}
        return body

    def predicted(self, name, desired):
        result = super().predicted(name, desired)
        if desired["runtime"] == "device" and not result.get("restart_policy"):
            result["restart_policy"] = DEFAULT_DEVICE_RESTART_POLICY
        return result


class NativeNetworkKind(NetworkKind):
    label = "native network"
    path = NATIVE

    def check_rules(self, name, runtime, ros_distro, params):
        if runtime == "device" and ros_distro == "noetic":
            raise ResourceInputError("ros_distro", "device native networks do not support ros_distro noetic "
                                     "(use kinetic or melodic, or a cloud network)")

    def body(self, name, desired):
        parameters = {}
        if desired.get("limits"):
            parameters["limits"] = desired["limits"]
        if desired["runtime"] == "device":
            parameters.update(_device_parameters(desired))
        body = {"name": name, "runtime": desired["runtime"], "rosDistro": desired["ros_distro"]}
        if parameters:
            body["parameters"] = parameters
        return body


def network_argument_spec(routed):
    """The options of rio_routed_network (``routed``) or rio_native_network, wait options included.

    Here, not in the module files, because both modules take them; documented by the
    rapyuta.rio.rio_network doc fragment plus what each module adds.
    """
    spec = dict(
        name=dict(type="str", required=True),
        state=dict(type="str", choices=["present", "absent"], default="present"),
        runtime=dict(type="str", choices=list(Runtime.ALL)),
        ros_distro=dict(type="str", choices=list(ROSDistro.ALL), default="melodic"),
        limits=dict(type="dict", options=dict(
            cpu=dict(type="float", required=True),
            memory=dict(type="int", required=True),
        )),
        device=dict(type="str"),
        network_interface=dict(type="str"),
        restart_policy=dict(type="str", choices=sorted(RESTART_POLICIES)),
        on_change=dict(type="str", choices=["fail", "recreate"], default="fail"),
    )
    if routed:
        spec["shared"] = dict(type="bool", default=False)
    spec.update(wait_argument_spec())
    return spec


def network_constraints():
    """Cross-option rules of both network modules, as keyword arguments of RioModule."""
    return dict(required_by={"network_interface": "device"})

# Copyright: (c) 2026, rapyuta.rio contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause
"""v2 manifests for the document-model tests (tests/unit/plugins/module_utils/v2/).

``USER_SET``: a team's multi-document set in the order a person writes it (dependents first), one
document of every kind. ``VALID`` and ``INVALID``: single documents for the schema oracle; each
invalid one names the field path the collection must report.
"""

USER_SET = """
apiVersion: apiextensions.rapyuta.io/v1
kind: Deployment
metadata:
  name: talker-robot-1
  depends: {kind: package, nameOrGUID: talker, version: v1.0.0}
  labels: {robot: robot-1}
spec:
  runtime: device
  device: {depends: {kind: device, nameOrGUID: robot-1}}
  restart: onfailure
  depends:
    - {kind: deployment, nameOrGUID: web, wait: true}
  envArgs:
    - {name: RATE, value: 20}
    - {name: TOKEN, valueFrom: {secretKeyRef: {name: api-keys, key: TOKEN}}}
  volumes:
    - {execName: talker, mountPath: /data, subPath: /opt/data, uid: 1000, gid: 1000, perm: 755}
  rosNetworks:
    - {depends: {kind: network, nameOrGUID: robot-net}, interface: eth0}
  features:
    params: {enabled: true, trees: [robot-config], blockUntilSynced: true}
---
apiVersion: api.rapyuta.io/v2
kind: Deployment
metadata:
  name: web
  depends: {kind: package, nameOrGUID: web, version: v2}
  region: jp
spec:
  runtime: cloud
  envArgs:
    - {name: GREETING, value: hello}
  volumes:
    - {execName: web, mountPath: /srv, subPath: web, depends: {kind: disk, nameOrGUID: web-disk}}
  staticRoutes:
    - {name: http, depends: {kind: staticroute, nameOrGUID: web-route}}
  features:
    vpn: {enabled: true}
---
kind: Package
apiVersion: apiextensions.rapyuta.io/v1
metadata: {name: talker, version: v1.0.0, labels: {app: demo}}
spec:
  runtime: device
  device: {arch: arm64v8}
  executables:
    - name: talker
      command: roslaunch talker talker.launch
      runAsBash: true
      docker:
        image: ros:noetic
        pullSecret: {depends: {kind: secret, nameOrGUID: regcred}}
  ros:
    enabled: true
    version: noetic
    rosEndpoints:
      - {type: topic, name: /chatter, qos: low}
---
kind: Package
apiVersion: apiextensions.rapyuta.io/v1
metadata: {name: web, version: v2, description: cloud web}
spec:
  runtime: cloud
  cloud: {replicas: 1}
  executables:
    - name: web
      type: docker
      docker: {image: "nginx:alpine", imagePullPolicy: Always}
      command: ["nginx", "-g", "daemon off;"]
      limits: {cpu: 0.025, memory: 128}
  environmentVars:
    - {name: PORT, default: "80", exposed: true, exposedName: WEB_PORT}
  endpoints:
    - {name: http, type: external-https, port: 443, targetPort: 80}
---
apiVersion: api.rapyuta.io/v2
kind: Network
metadata: {name: robot-net}
spec:
  type: routed
  rosDistro: noetic
  runtime: device
  depends: {kind: Device, nameOrGUID: robot-1}
  networkInterface: eth0
  restartPolicy: always
---
apiVersion: api.rapyuta.io/v2
kind: Disk
metadata: {name: web-disk, labels: {rapyuta.io/deletionPolicy: retain}}
spec: {runtime: cloud, capacity: 8}
---
apiVersion: api.rapyuta.io/v2
kind: StaticRoute
metadata: {name: web-route}
spec: {sourceIPRange: [10.0.0.0/8]}
---
apiVersion: api.rapyuta.io/v2
kind: Secret
metadata: {name: regcred}
spec:
  type: Docker
  docker: {username: robot, email: robot@example.com, password: s3cr3t-pass}
---
apiVersion: api.rapyuta.io/v2
kind: Secret
metadata: {name: api-keys}
spec:
  type: Opaque
  data: {TOKEN: t0ps3cret}
---
apiVersion: api.rapyuta.io/v2
kind: ConfigTree
metadata: {name: robot-config}
"""

DEVICE_PACKAGE = {
    "apiVersion": "apiextensions.rapyuta.io/v1",
    "kind": "Package",
    "metadata": {"name": "talker", "version": "v1.0.0", "description": "optional", "labels": {"app": "demo"}},
    "spec": {
        "runtime": "device",
        "device": {"arch": "arm64v8", "restart": "always"},
        "hostPID": False,
        "executables": [{
            "name": "talker", "type": "docker", "command": "roslaunch talker talker.launch", "runAsBash": True,
            "uid": 1000, "gid": 1000, "limits": {"cpu": 0.025, "memory": 128},
            "livenessProbe": {"tcpSocket": {"port": 8080}, "initialDelaySeconds": 5, "periodSeconds": 10,
                              "timeoutSeconds": 10},
            "docker": {"image": "ros:noetic", "imagePullPolicy": "IfNotPresent",
                       "pullSecret": {"depends": {"kind": "secret", "nameOrGUID": "regcred"}}},
        }],
        "environmentVars": [
            {"name": "RATE", "default": "10", "description": "publish rate"},
            {"name": "PORT", "default": "80", "exposed": True, "exposedName": "WEB_PORT"},
        ],
        "ros": {"enabled": True, "version": "noetic", "rosEndpoints": [
            {"type": "topic", "name": "/chatter", "qos": "low", "compression": False, "scoped": False, "targeted": False},
            {"type": "service", "name": "/srv", "timeout": 120},
            {"type": "action", "name": "/move"},
        ]},
    },
}

CLOUD_PACKAGE = {
    "apiVersion": "api.rapyuta.io/v2",
    "kind": "Package",
    "metadata": {"name": "web", "version": "v2"},
    "spec": {
        "runtime": "cloud",
        "cloud": {"replicas": 2},
        "executables": [{
            "name": "web", "type": "docker", "command": ["nginx", "-g", "daemon off;"],
            "docker": {"image": "nginx:alpine"},
            "livenessProbe": {"httpGet": {"path": "/healthz", "port": 80}, "timeoutSeconds": 10},
        }],
        "endpoints": [
            {"name": "http", "type": "external-https", "port": 443, "targetPort": 80},
            {"name": "ranges", "type": "internal-udp-range", "portRange": "53,1024-1025"},
        ],
    },
}

PREINSTALLED_PACKAGE = {
    "apiVersion": "api.rapyuta.io/v2",
    "kind": "Package",
    "metadata": {"name": "core", "version": "1"},
    "spec": {"runtime": "device", "executables": [{"name": "roscore", "type": "preInstalled", "command": "roscore"}]},
}

DEVICE_DEPLOYMENT = {
    "apiVersion": "apiextensions.rapyuta.io/v1",
    "kind": "Deployment",
    "metadata": {"name": "talker-robot-1", "depends": {"kind": "package", "nameOrGUID": "talker", "version": "v1.0.0"},
                 "region": "jp", "labels": {"robot": "robot-1"}},
    "spec": {
        "runtime": "device",
        "device": {"depends": {"kind": "device", "nameOrGUID": "robot-1"}},
        "restart": "onfailure",
        "depends": [{"kind": "deployment", "nameOrGUID": "ros-master", "wait": True}],
        "envArgs": [{"name": "RATE", "value": "20"}],
        "volumes": [{"execName": "talker", "mountPath": "/data", "subPath": "/opt/data", "uid": 1000, "gid": 1000, "perm": 755}],
        "rosNetworks": [{"depends": {"kind": "network", "nameOrGUID": "robot-net"}, "interface": "eth0"}],
        "networkInterface": "eth0",
        "features": {"params": {"enabled": True, "trees": ["robot-config"], "blockUntilSynced": True}},
    },
}

CLOUD_DEPLOYMENT = {
    "apiVersion": "apiextensions.rapyuta.io/v1",
    "kind": "Deployment",
    "metadata": {"name": "web", "depends": {"kind": "package", "nameOrGUID": "web", "version": "v2"}, "region": "us"},
    "spec": {
        "runtime": "cloud",
        "depends": [{"kind": "deployment", "nameOrGUID": "db"}],
        "envArgs": [{"name": "GREETING", "value": "hello"}],
        "volumes": [{"execName": "web", "mountPath": "/srv", "subPath": "web", "depends": {"kind": "disk", "nameOrGUID": "web-disk"}}],
        "staticRoutes": [{"name": "http", "depends": {"kind": "staticroute", "nameOrGUID": "web-route"}}],
        "rosNetworks": [{"depends": {"kind": "network", "nameOrGUID": "cloud-net"}}],
        "features": {"vpn": {"enabled": True}, "params": {"enabled": False}},
        "managedServices": [{"depends": {"kind": "managedservice", "nameOrGUID": "headscale"}}],
    },
}

MINIMAL_DEVICE_DEPLOYMENT = {
    "apiVersion": "api.rapyuta.io/v2",
    "kind": "Deployment",
    "metadata": {"name": "core-robot-1", "depends": {"kind": "package", "nameOrGUID": "core", "version": "1"}},
    "spec": {"runtime": "device", "device": {"depends": {"kind": "device", "nameOrGUID": "robot-1"}}},
}

VALID = {
    "device package": DEVICE_PACKAGE,
    "cloud package": CLOUD_PACKAGE,
    "preinstalled package": PREINSTALLED_PACKAGE,
    "device deployment": DEVICE_DEPLOYMENT,
    "cloud deployment": CLOUD_DEPLOYMENT,
    "minimal device deployment": MINIMAL_DEVICE_DEPLOYMENT,
}


def _changed(document, path, value):
    """A copy of ``document`` with the dotted ``path`` set to ``value`` (``None`` removes it); [n] indexes a list."""
    import copy
    import re

    body = copy.deepcopy(document)
    parts = [int(part) if part.isdigit() else part for part in re.split(r"\.|\[|\]\.?", path) if part != ""]
    target = body
    for part in parts[:-1]:
        target = target[part]
    if value is None:
        del target[parts[-1]]
    else:
        target[parts[-1]] = value
    return body


# name -> (document, the path the collection must name). Both the vendor's schemas and the
# collection refuse each of these.
INVALID = {
    "architecture": (_changed(DEVICE_PACKAGE, "spec.device.arch", "x86"), "spec.device.arch"),
    "restart policy": (_changed(DEVICE_PACKAGE, "spec.device.restart", "sometimes"), "spec.device.restart"),
    "runtime": (_changed(DEVICE_PACKAGE, "spec.runtime", "edge"), "spec.runtime"),
    "no runtime": (_changed(DEVICE_PACKAGE, "spec.runtime", None), "spec.runtime"),
    "no version": (_changed(DEVICE_PACKAGE, "metadata.version", None), "metadata.version"),
    "no name": (_changed(DEVICE_PACKAGE, "metadata.name", None), "metadata.name"),
    "pull policy": (_changed(DEVICE_PACKAGE, "spec.executables[0].docker.imagePullPolicy", "Sometimes"),
                    "spec.executables[0].docker.imagePullPolicy"),
    "executable type": (_changed(DEVICE_PACKAGE, "spec.executables[0].type", "podman"), "spec.executables[0].type"),
    "probe timeout": (_changed(DEVICE_PACKAGE, "spec.executables[0].livenessProbe.timeoutSeconds", 5),
                      "spec.executables[0].livenessProbe.timeoutSeconds"),
    "ros distro": (_changed(DEVICE_PACKAGE, "spec.ros.version", "humble"), "spec.ros.version"),
    "exposed without a name": (_changed(DEVICE_PACKAGE, "spec.environmentVars[1].exposedName", None),
                               "spec.environmentVars[1].exposedName"),
    "label value": (_changed(DEVICE_PACKAGE, "metadata.labels", {"tier": 1}), "metadata.labels.tier"),
    "endpoint type": (_changed(CLOUD_PACKAGE, "spec.endpoints[0].type", "external-ftp"), "spec.endpoints[0].type"),
    "cloud preinstalled": (_changed(CLOUD_PACKAGE, "spec.executables[0].type", "preInstalled"), "spec.executables[0].type"),
    "no image": (_changed(CLOUD_PACKAGE, "spec.executables[0].docker.image", None), "spec.executables[0].docker.image"),
    "api version": (_changed(DEVICE_DEPLOYMENT, "apiVersion", "v1"), "apiVersion"),
    "no package": (_changed(DEVICE_DEPLOYMENT, "metadata.depends", None), "metadata.depends"),
    "deployment restart": (_changed(DEVICE_DEPLOYMENT, "spec.restart", "sometimes"), "spec.restart"),
    "device static routes": (_changed(DEVICE_DEPLOYMENT, "spec.staticRoutes",
                                      [{"name": "http", "depends": {"kind": "staticroute", "nameOrGUID": "r"}}]),
                             "spec.staticRoutes"),
    "device volume on a disk": (_changed(DEVICE_DEPLOYMENT, "spec.volumes[0].depends", {"kind": "disk", "nameOrGUID": "d"}),
                                "spec.volumes[0].depends"),
    "cloud device": (_changed(CLOUD_DEPLOYMENT, "spec.device", {"depends": {"kind": "device", "nameOrGUID": "robot-1"}}),
                     "spec.device"),
    "cloud restart": (_changed(CLOUD_DEPLOYMENT, "spec.restart", "always"), "spec.restart"),
    "envArgs value": (_changed(CLOUD_DEPLOYMENT, "spec.envArgs[0].value", {"a": 1}), "spec.envArgs[0].value"),
    "deployment runtime": (_changed(CLOUD_DEPLOYMENT, "spec.runtime", "edge"), "spec.runtime"),
}

# Where the collection takes the union of the two vendor validators (docs/reference/v2-api.md#manifests):
# the schemas refuse these, the sdk-v2 models that `rio apply` runs accept them, and so does the collection.
UNION = {
    "service account": _changed(CLOUD_DEPLOYMENT, "spec.serviceAccount", "robot-sa"),
    "numeric envArgs value": _changed(CLOUD_DEPLOYMENT, "spec.envArgs[0].value", 10),
    "cloud package without a cloud section": _changed(CLOUD_PACKAGE, "spec.cloud", None),
    "deployment without spec.depends kinds": _changed(DEVICE_DEPLOYMENT, "spec.depends", [{"nameOrGUID": "ros-master"}]),
}

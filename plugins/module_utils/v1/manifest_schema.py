# Copyright: (c) 2026, rapyuta.rio contributors
# Simplified BSD License (see LICENSES/BSD-2-Clause.txt or https://opensource.org/licenses/BSD-2-Clause)
# SPDX-License-Identifier: BSD-2-Clause
"""The JSON Schema of a rapyuta.io v1 package manifest (docs/reference/v1-api.md#package-manifest), as a Python dict.
FOR INTERNAL COLLECTION USE ONLY: may change in any release.

A ``.py`` file because AnsiballZ ships only the Python module_utils a module imports.
Objects the platform defines field by field (plans, components, executables, endpoints, ROS
interfaces, rosbag options) refuse unknown fields, so a misspelt key is reported with its JSON
path instead of being silently dropped by the server. The top level and ``metadata`` stay open.
Rules a schema cannot say (unique names, one executable kind) live in ``manifest.py``.
"""

_STRING = {"type": "string"}
_NAME = {"type": "string", "minLength": 1}
_BOOL = {"type": "boolean"}
# The SDK's own manifests write some ROS flags as the strings "True"/"False".
_BOOLISH = {"enum": [True, False, "True", "False", "true", "false"]}
_STRINGS = {"type": "array", "items": {"type": "string"}}
_PORT = {"type": "integer", "minimum": 1, "maximum": 65535}
_NULLABLE_STRINGS = {"type": ["array", "null"], "items": {"type": "string"}}


def _object(properties, required=(), additional=False):
    schema = {"type": "object", "properties": properties, "additionalProperties": additional}
    if required:
        schema["required"] = list(required)
    return schema


_ROS_TOPIC = _object({
    "name": _NAME,
    "qos": {"type": "string", "enum": ["low", "med", "hi", "max"]},
    "compression": {"type": "string", "enum": ["", "snappy"]},
    "scoped": _BOOLISH,
    "targeted": _BOOLISH,
}, required=["name"])

_ROS_SERVICE = _object({
    "name": _NAME,
    "compression": {"type": "string", "enum": ["", "snappy"]},
    "scoped": _BOOLISH,
    "targeted": _BOOLISH,
    "timeout": {"type": "number", "minimum": 0},
}, required=["name"])

_ROS = _object({
    "isROS": _BOOL,
    "ros_distro": {"type": "string", "enum": ["kinetic", "melodic", "noetic"]},
    "topics": {"type": "array", "items": _ROS_TOPIC},
    "services": {"type": "array", "items": _ROS_SERVICE},
    "actions": {"type": "array", "items": _ROS_SERVICE},
})

_ENDPOINT = _object({
    "name": _NAME,
    "exposeExternally": _BOOL,
    "port": _PORT,
    "targetPort": _PORT,
    "portRange": {"type": "string", "pattern": r"^[0-9]+(-[0-9]+)?(,[0-9]+(-[0-9]+)?)*$"},
    "proto": {"type": "string", "enum": ["HTTP", "HTTPS", "TCP", "UDP", "TLS-TCP"]},
}, required=["name", "proto"])

_CLOUD_INFRA = _object({
    "replicas": {"type": "integer", "minimum": 1},
    "endpoints": {"type": ["array", "null"], "items": _ENDPOINT},
})

_CATKIN_OPTION = _object({
    "rosPkgs": _STRING,
    "cmakeArgs": _STRING,
    "makeArgs": _STRING,
    "blacklist": _STRING,
    "catkinMakeArgs": _STRING,
})

_GIT_EXECUTABLE = _object({
    "repository": _NAME,
    "strategyType": {"type": "string", "enum": ["Source", "Docker"]},
    "dockerFilePath": _STRING,
    "contextDir": _STRING,
}, required=["repository", "strategyType"])

_EXECUTABLE = _object({
    "name": _NAME,
    "cmd": {"type": ["array", "null"], "items": {"type": "string"}},
    "docker": _NAME,
    "secret": _STRING,
    "gitExecutable": _GIT_EXECUTABLE,
    "buildOptions": _object({"catkinOptions": {"type": ["array", "null"], "items": _CATKIN_OPTION}}),
    "buildGUID": _NAME,
    "simulationOptions": _object({"simulation": _BOOL}),
    "limits": _object({"cpu": {"type": "number", "exclusiveMinimum": 0},
                       "memory": {"type": "integer", "minimum": 1}}),
    "args": _NULLABLE_STRINGS,
    "env": {"type": ["array", "object", "null"]},
}, required=["name"])

_PARAMETER = _object({
    "name": _NAME,
    "default": {"type": ["string", "number", "boolean", "null"]},
    "description": _STRING,
    "exposed": _BOOL,
    "exposedName": _STRING,
}, required=["name"])

_RECORD_OPTIONS = _object({
    "allTopics": _BOOL,
    "topics": _STRINGS,
    "topicIncludeRegex": _STRINGS,
    "topicExcludeRegex": _STRING,
    "maxMessageCount": {"type": "integer", "minimum": 1},
    "node": _STRING,
    "compression": {"type": "string", "enum": ["", "LZ4", "BZ2"]},
    "maxSplits": {"type": "integer", "minimum": 0},
    "maxSplitSize": {"type": "integer", "minimum": 0},
    "chunkSize": {"type": "integer", "minimum": 0},
    "maxSplitDuration": {"type": "integer", "minimum": 1},
    "prefix": _STRING,
})

_UPLOAD_OPTIONS = _object({
    "maxUploadRate": {"type": "integer", "minimum": 0},
    "purgeAfter": _BOOL,
    "uploadType": {"type": "string", "enum": ["OnStop", "Continuous", "OnDemand"]},
    "onDemandOpts": _object({"timeRange": _object({"from": {"type": "integer"}, "to": {"type": "integer"}},
                                                  required=["from", "to"])}),
})

_OVERRIDE_OPTIONS = _object({
    "topicOverrideInfo": {"type": "array", "items": _object({
        "topicName": _NAME,
        "recordFrequency": {"type": "integer", "minimum": 0},
        "latched": _BOOL,
    }, required=["topicName"])},
    "excludeTopics": _STRINGS,
})

_ROSBAG_JOB = _object({
    "name": _NAME,
    "recordOptions": _RECORD_OPTIONS,
    "uploadOptions": _UPLOAD_OPTIONS,
    "overrideOptions": _OVERRIDE_OPTIONS,
}, required=["name", "recordOptions"])

_COMPONENT = _object({
    "name": _NAME,
    "description": _STRING,
    "requiredRuntime": {"type": "string", "enum": ["cloud", "device"]},
    "architecture": {"type": "string", "enum": ["amd64", "arm32v7", "arm64v8"]},
    "restart_policy": {"type": "string", "enum": ["always", "no", "on-failure"]},
    "ros": _ROS,
    "cloudInfra": _CLOUD_INFRA,
    "executables": {"type": "array", "minItems": 1, "items": _EXECUTABLE},
    "parameters": {"type": ["array", "null"], "items": _PARAMETER},
    "rosBagJobDefs": {"type": ["array", "null"], "items": _ROSBAG_JOB},
    "labels": {"type": ["array", "object", "null"]},
}, required=["name", "requiredRuntime", "architecture", "executables"])

_EXPOSED_PARAMETER = _object({
    "component": _NAME,
    "param": _NAME,
    "targetParam": _NAME,
}, required=["component", "param", "targetParam"])

_INBOUND = _object({
    "anyIncomingScopedOrTargetedRosConfig": _BOOL,
    "topics": {"type": "array"},
    "services": {"type": "array"},
    "actions": {"type": "array"},
})

_PLAN = _object({
    "name": _NAME,
    "description": _STRING,
    "metadata": {"type": ["object", "null"]},
    "singleton": _BOOL,
    "components": {"type": "array", "minItems": 1, "items": _COMPONENT},
    "dependentDeployments": {"type": ["array", "null"]},
    "includePackages": {"type": ["array", "null"]},
    "exposedParameters": {"type": ["array", "null"], "items": _EXPOSED_PARAMETER},
    "inboundROSInterfaces": {"anyOf": [{"type": "null"}, _INBOUND]},
}, required=["name", "components"])

MANIFEST_SCHEMA = {
    "$schema": "http://json-schema.org/draft-07/schema#",
    "title": "rapyuta.io v1 package manifest",
    "type": "object",
    "properties": {
        "name": _NAME,
        "packageVersion": _NAME,
        "description": _STRING,
        "apiVersion": _STRING,
        "bindable": _BOOL,
        "plans": {"type": "array", "minItems": 1, "items": _PLAN},
    },
    "required": ["name", "packageVersion", "plans"],
    "additionalProperties": True,
}

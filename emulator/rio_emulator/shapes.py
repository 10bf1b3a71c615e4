"""Type checks of request bodies: a malformed body is the client's error (400 naming the field),
never an emulator crash (500)."""
from .errors import ApiError


def _fail(path, expected):
    raise ApiError(400, "invalid request: %s must be %s" % (path, expected))


def obj(value, path, optional=True):
    if value is None and optional:
        return {}
    if not isinstance(value, dict):
        _fail(path, "an object")
    return value


def array(value, path, optional=True):
    if value is None and optional:
        return []
    if not isinstance(value, list):
        _fail(path, "a list")
    return value


def text(value, path, optional=True):
    if value is None and optional:
        return value
    if not isinstance(value, str):
        _fail(path, "a string")
    return value


def objects(value, path, string_keys=()):
    """A list of objects whose `string_keys` (when present) are strings."""
    items = array(value, path)
    for index, item in enumerate(items):
        obj(item, "%s[%d]" % (path, index), optional=False)
        for key in string_keys:
            text(item.get(key), "%s[%d].%s" % (path, index, key))
    return items


def provision_body(parameters, context):
    parameters = obj(parameters, "parameters")
    context = obj(context, "context")
    for key, value in parameters.items():
        where = "parameters.%s" % key
        value = obj(value, where)
        if key == "global":
            for index, uuid in enumerate(array(value.get("device_ids"), where + ".device_ids")):
                text(uuid, "%s.device_ids[%d]" % (where, index), optional=False)
            continue
        text(value.get("device_id"), where + ".device_id")
        bridge = obj(value.get("bridge_params"), where + ".bridge_params")
        text(bridge.get("alias"), where + ".bridge_params.alias")
    text(context.get("name"), "context.name")
    objects(context.get("labels"), "context.labels")
    objects(context.get("dependentDeployments"), "context.dependentDeployments",
            ("dependentDeploymentId", "applicableComponentId"))
    objects(context.get("routedNetworks"), "context.routedNetworks", ("guid",))
    objects(context.get("nativeNetworks"), "context.nativeNetworks", ("guid",))
    objects(context.get("diskMountInfo"), "context.diskMountInfo", ("diskResourceId", "applicableComponentId"))
    for cid, ctx in obj(context.get("component_context"), "context.component_context").items():
        where = "context.component_context.%s" % cid
        ctx = obj(ctx, where)
        for endpoint, guid in obj(ctx.get("static_route_config"), where + ".static_route_config").items():
            text(guid, "%s.static_route_config.%s" % (where, endpoint), optional=False)
        obj(ctx.get("component_override"), where + ".component_override")
        objects(ctx.get("ros_bag_job_defs"), where + ".ros_bag_job_defs")
    return parameters, context


def update_body(body):
    context = obj(body.get("context"), "context")
    component_context = obj(context.get("component_context"), "context.component_context")
    for cid, ctx in component_context.items():
        where = "context.component_context.%s" % cid
        ctx = obj(ctx, where)
        component = obj(ctx.get("component"), where + ".component")
        objects(component.get("executables"), where + ".component.executables", ("id", "name", "docker", "buildGUID"))
    return component_context

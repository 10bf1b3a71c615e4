"""Assertions on `ansible-inventory --list` output: check_list.py <case> < output.json"""
import json
import sys


def plain(value):
    """Unwrap the {"__ansible_unsafe": ...} markers ansible-inventory puts on untrusted (API) strings."""
    if isinstance(value, dict):
        if list(value) == ["__ansible_unsafe"]:
            return value["__ansible_unsafe"]
        return dict((key, plain(item)) for key, item in value.items())
    if isinstance(value, list):
        return [plain(item) for item in value]
    return value


case = sys.argv[1]
data = plain(json.load(sys.stdin))
hostvars = data["_meta"]["hostvars"]


def members(group):
    return sorted(data.get(group, {}).get("hosts", []))


def check(condition, message):
    if not condition:
        sys.exit("FAILED %s: %s\n%s" % (case, message, json.dumps(data, indent=1, sort_keys=True)))


if case == "online":
    check(sorted(hostvars) == ["robot-docker-amd64", "robot-docker-arm64", "robot-noetic", "robot-preinstalled"],
          "the OFFLINE robot is filtered out")
    check("robot-offline" not in json.dumps(data), "robot-offline appears nowhere")
    amd = hostvars["robot-docker-amd64"]
    check(amd["rio_uuid"] == "11111111-1111-4111-8111-111111111101", "uuid")
    check(amd["rio_status"] == "ONLINE", "status")
    check(amd["rio_labels"] == {"site": "alpha"}, "labels dict")
    check(isinstance(amd["rio_config_variables"], dict) and amd["rio_ros_distro"] == "melodic", "config variables")
    check(amd["rio_runtime"] == "dockercompose", "runtime")
    check(amd["rio_architecture"] == "amd64", "architecture from the selection query")
    check(hostvars["robot-docker-arm64"]["rio_architecture"] == "arm64v8", "arm64 architecture")
    check(amd["robot_site"] == "ALPHA", "compose")
    check("ansible_connection" not in amd, "no connection is set")
    check(members("site_alpha") == ["robot-docker-amd64", "robot-preinstalled"], "keyed group site_alpha")
    check(members("site_beta") == ["robot-docker-arm64", "robot-noetic"], "keyed group site_beta")
    check(members("ros_noetic") == ["robot-noetic"], "keyed group ros_noetic")
    check(members("arch_amd64") == ["robot-docker-amd64", "robot-noetic", "robot-preinstalled"], "keyed group arch_amd64")
    check("robot-preinstalled" not in members("docker_robots") and "robot-docker-amd64" in members("docker_robots"),
          "conditional group docker_robots")
elif case == "alpha":
    check(sorted(hostvars) == ["robot-docker-amd64", "robot-offline"], "labels and name pattern")
    check(hostvars["robot-offline"]["dev_status"] == "OFFLINE", "prefix and status")
    check("dev_architecture" not in hostvars["robot-offline"], "no architecture when unknown")
elif case == "v2":
    check(len(hostvars) == 5, "every device, the offline one included")
    check(hostvars["robot-docker-amd64"]["rio_uuid"] == "11111111-1111-4111-8111-111111111101", "uuid")
    check(members("label_site_alpha") == ["robot-docker-amd64", "robot-offline", "robot-preinstalled"], "label group")
    check(members("label_site_beta") == ["robot-docker-arm64", "robot-noetic"], "label group site beta")
    check(members("status_ONLINE") == ["robot-docker-amd64", "robot-docker-arm64", "robot-noetic", "robot-preinstalled"],
          "status group ONLINE")
    check(members("status_OFFLINE") == ["robot-offline"], "status group OFFLINE")
    check(members("runtime_preinstalled") == ["robot-preinstalled"], "runtime group preinstalled")
    check(members("runtime_dockercompose") == ["robot-docker-amd64", "robot-docker-arm64", "robot-noetic",
                                               "robot-offline"], "runtime group dockercompose")
    check(members("arch_arm64v8") == ["robot-docker-arm64"], "architecture group arm64v8")
    check(members("arch_unknown") == ["robot-offline"], "offline devices have no architecture")
elif case == "grouped":
    check(sorted(hostvars) == ["robot-docker-arm64", "robot-noetic"], "filters given as one dictionary")
else:
    sys.exit("unknown case %s" % case)
print("%s: ok" % case)

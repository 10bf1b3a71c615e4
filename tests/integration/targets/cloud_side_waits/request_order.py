"""request_order.py LOG GENERATION: check, from the emulator's access log, that the cloud side created
its objects one after the other without waiting for any of them in between, then waited for them all
along with the cloud deployment; exit 1 naming what is out of order."""
import re
import sys

REQUEST = re.compile(r'"(GET|POST|PUT|PATCH|DELETE) ([^ ?"]+)[^"]* HTTP/[0-9.]+" ')

# generation: (the network's creation, its reads, other creations and their reads, the cloud deployment's creation)
CHECKS = {
    "v1": ("POST /routednetwork", r"GET /routednetwork/net-", [], r"PUT /v2/service_instances/"),
    "v2": ("POST /v2/networks/", r"GET /v2/networks/sample-fleet-net/",
           [("POST /v2/disks/", r"GET /v2/disks/sample-fleet-telemetry/")], r"POST /v2/deployments/"),
}


def main(log_path, generation):
    with open(log_path) as handle:
        requests = ["%s %s" % match.groups() for match in map(REQUEST.search, handle) if match]
    network_created, network_read, others, deployment_created = CHECKS[generation]
    problems = []

    def first(pattern, start=0):
        return next((index for index in range(start, len(requests)) if re.match(pattern, requests[index])), None)

    created = first(re.escape(deployment_created))
    if created is None:
        sys.exit("no %s in %s" % (deployment_created, log_path))
    for creation, read in [(network_created, network_read)] + others:
        made = first(re.escape(creation))
        if made is None or made > created:
            problems.append("%s does not come before the cloud deployment's creation" % creation)
            continue
        # A wait polls several times (the phase delay outlasts the pauses); checking the reference costs one read.
        between = [request for request in requests[made:created] if re.match(read, request)]
        if len(between) > 1:
            problems.append("%d reads (%s) between %s and the cloud deployment's creation: it was waited for first"
                            % (len(between), read, creation))
        if first(read, created) is None:
            problems.append("no read (%s) after the cloud deployment's creation: it was not waited for" % read)
    if problems:
        sys.exit("%s:\n  %s\nrequests:\n  %s" % (generation, "\n  ".join(problems), "\n  ".join(requests)))
    print("%s: every object created before any is waited for" % generation)


if __name__ == "__main__":
    main(*sys.argv[1:])

"""Sum the JUnit XML files that the pytest rungs of `make test` wrote; print one closing line.

Usage: python tools/junit_totals.py DIR  ->  "tests: N passed, N failed, N skipped"
Exits 1 when no test ran at all, so an empty run cannot pass silently.
"""
import glob
import os
import sys
import xml.etree.ElementTree as ElementTree


def totals(directory):
    counts = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    for path in sorted(glob.glob(os.path.join(directory, "*.xml"))):
        root = ElementTree.parse(path).getroot()
        suites = [root] if root.tag == "testsuite" else root.findall("testsuite")
        for suite in suites:
            for key in counts:
                counts[key] += int(suite.get(key, 0))
    return counts


def main():
    counts = totals(sys.argv[1])
    failed = counts["failures"] + counts["errors"]
    passed = counts["tests"] - failed - counts["skipped"]
    print("tests: %d passed, %d failed, %d skipped" % (passed, failed, counts["skipped"]))
    return 1 if counts["tests"] == 0 else 0


if __name__ == "__main__":
    sys.exit(main())

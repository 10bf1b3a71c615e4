#!/usr/bin/env bash
# ansible-test bootstraps pip in every venv it makes by downloading get-pip from a host that these
# machines cannot reach (an instant FATAL). It first looks in its cache, so the cache gets a small
# stand-in with the same job: ensurepip, then `pip install` of what ansible-test asks for, from
# the configured package index. One file per pip version pinned by the supported cores:
# 25.2 (ansible-core 2.21) and 24.2 (2.18).
set -euo pipefail
cache="$HOME/.ansible/test/cache"
mkdir -p "$cache"
for version in 25_2 24_2; do
    cat > "$cache/get_pip_$version.py" <<'PY'
import subprocess, sys
args = [arg for arg in sys.argv[1:] if arg not in ("--no-setuptools", "--no-wheel")]
subprocess.check_call([sys.executable, "-m", "ensurepip", "--default-pip"])
subprocess.check_call([sys.executable, "-m", "pip", "install", "-q"] + args)
PY
done

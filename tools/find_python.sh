#!/usr/bin/env bash
# Prints the interpreter for the main toolchain: Python 3.12 (the decided version for
# ansible-core 2.21), else the newest >= 3.12 found. pyenv's bare shims refuse to run versions
# that are not active, so every candidate is asked to run before it is chosen.
set -u
want_min="${1:-3.12}"
candidates=(python3.12 python3.13 python3.14)
if command -v pyenv >/dev/null 2>&1; then
    root="$(pyenv root)"
    for dir in "$root"/versions/3.12* "$root"/versions/3.13* "$root"/versions/3.14*; do
        [ -x "$dir/bin/python3" ] && candidates+=("$dir/bin/python3")
    done
fi
for candidate in "${candidates[@]}"; do
    if "$candidate" -c "import sys; sys.exit(0 if sys.version_info[:2] >= tuple(map(int, '$want_min'.split('.'))) else 1)" >/dev/null 2>&1; then
        command -v "$candidate" 2>/dev/null || echo "$candidate"
        exit 0
    fi
done
echo "find_python.sh: no Python >= $want_min found (tried: ${candidates[*]})" >&2
exit 1

#!/usr/bin/env bash
# The set-up figures of docs/performance.md: the lock installed by pip (as make did) against uv
# (as make does), each into its own new venv with torch already in it and empty caches, side by
# side. Needs the network (PyPI). Run from the repository root: bash benchmarks/install_time.sh
set -euo pipefail
LOCK=requirements/lock.txt
TORCH_SPEC=${TORCH_SPEC:-torch==2.13.0}
UV_SPEC=${UV_SPEC:-uv==0.13.9}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
seconds() { local t0=$(date +%s.%N); "$@" >/dev/null 2>&1; echo "$(date +%s.%N) - $t0" | bc; }
for tool in pip uv; do
  python3 -m venv "$work/$tool"
  "$work/$tool/bin/python" -m pip install -q "$TORCH_SPEC" "$UV_SPEC" >/dev/null 2>&1
done
export PIP_CACHE_DIR="$work/pip-cache" UV_CACHE_DIR="$work/uv-cache"
pip_core=$(seconds "$work/pip/bin/python" -m pip install -q -c $LOCK -e .)
pip_extras=$(seconds "$work/pip/bin/python" -m pip install -q -c $LOCK -e ".[dev,inspect]")
uv=("$work/uv/bin/uv" pip install -q --python "$work/uv/bin/python" -c $LOCK)
uv_core=$(seconds "${uv[@]}" -e .)
uv_extras=$(seconds "${uv[@]}" -e ".[dev,inspect]")
same=$(diff <("$work/pip/bin/python" -m pip freeze --exclude-editable | grep -v '^uv==') \
            <("$work/uv/bin/python" -m pip freeze --exclude-editable | grep -v '^uv==') \
       >/dev/null && echo "the same versions" || echo "DIFFERENT versions")
printf 'package and dependencies: pip %.1f s, uv %.1f s\n' "$pip_core" "$uv_core"
printf 'dev and inspect extras:   pip %.1f s, uv %.1f s\n' "$pip_extras" "$uv_extras"
echo "pip freeze of the two venvs (uv left out): $same"

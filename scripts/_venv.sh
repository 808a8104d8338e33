# Sourced by scripts/run and scripts/test: make .venv (Python 3.11+) and
# install $1 into it, again only when that requirements file changes.
set -euo pipefail

find_python() {
  for candidate in python3.13 python3.12 python3.11 python3 python; do
    if command -v "$candidate" >/dev/null 2>&1 &&
      "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
      echo "$candidate"
      return
    fi
  done
  echo "CircleShare needs Python 3.11 or newer; none was found on PATH." >&2
  exit 1
}

ensure_venv() {
  local requirements=$1
  if [ ! -x .venv/bin/python ]; then
    echo "Creating the virtual environment in .venv …"
    "$(find_python)" -m venv .venv
  fi
  local stamp=.venv/.installed-$(basename "$requirements")
  local wanted
  wanted=$(cat requirements*.txt | .venv/bin/python -c 'import hashlib,sys; print(hashlib.sha256(sys.stdin.buffer.read()).hexdigest())')
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$wanted" ]; then
    echo "Installing $requirements …"
    .venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
    .venv/bin/python -m pip install --quiet --disable-pip-version-check -r "$requirements"
    echo "$wanted" >"$stamp"
  fi
}

#!/usr/bin/env bash
# Prints the path of a Python 3.10 interpreter for the Rasa environment, or explains
# how to get one and fails. Order: $PYTHON310, python3.10 on PATH, pyenv's versions.
set -u
try() { "$1" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 10))' >/dev/null 2>&1 && { echo "$1"; exit 0; }; }
[ -n "${PYTHON310:-}" ] && try "$PYTHON310"
command -v python3.10 >/dev/null 2>&1 && try "$(command -v python3.10)"
if command -v pyenv >/dev/null 2>&1; then
  for v in $(pyenv versions --bare 2>/dev/null | grep -E '^3\.10(\.|$)' | sort -V -r); do
    try "$(pyenv root)/versions/$v/bin/python3.10"
  done
fi
for p in $(ls -d "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.10*/bin/python3.10 2>/dev/null | sort -V -r); do try "$p"; done
cat >&2 <<'MSG'
Rasa 3.6.21 needs Python 3.10 and none was found.
Install it with pyenv (`pyenv install 3.10`) or your system's packages, or point
PYTHON310 at an interpreter: `make run PYTHON310=/path/to/python3.10`.
MSG
exit 1

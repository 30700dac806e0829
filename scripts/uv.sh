#!/usr/bin/env sh
# Prints how to call uv, installing it from PyPI first when it is missing
# (uv's shell installer downloads from outside PyPI, which these machines cannot reach).
if command -v uv >/dev/null 2>&1; then
  echo uv
  exit 0
fi
if ! python3 -m uv --version >/dev/null 2>&1; then
  echo "uv not found: installing it from PyPI (python3 -m pip install --user uv)" >&2
  python3 -m pip install --quiet --user "uv==0.13.9" >&2 || python3 -m pip install --quiet "uv==0.13.9" >&2
fi
echo "python3 -m uv"

#!/usr/bin/env bash
# Re-executes the notebooks on the Kotlin kernel from Maven (kotlin-jupyter-kernel 0.11.0-398) under Debian's nbclient
# and writes them back with their outputs. All of them, or the ones named: notebooks/run.sh ch03-linear-regression
# Needs: JDK 17+, Maven, python3-nbclient (apt-get install -y jupyter-nbconvert python3-nbclient), and for chapters 7
# and 8 Fashion-MNIST in ./data or /usr/share/datasets/fashion-mnist (apt-get install -y dataset-fashion-mnist).
set -euo pipefail
cd "$(dirname "$0")/.."

if ! /usr/bin/python3 -c 'import nbclient, nbformat' 2>/dev/null && ! python3 -c 'import nbclient, nbformat' 2>/dev/null; then
  echo "run.sh: nbclient is missing; apt-get install -y jupyter-nbconvert python3-nbclient" >&2
  exit 1
fi

only=""
for name in "$@"; do only="${only:+$only,}${name%.ipynb}"; done

# NotebooksTest writes the kernelspec, runs each notebook, checks its outputs and (with update=true) saves it
mvn -B -q -pl kindling-jupyter -am verify -Dtest=NotebooksTest -Dsurefire.failIfNoSpecifiedTests=false \
  -Dkindling.notebooks.update=true ${only:+-Dkindling.notebooks.only=$only}
echo "notebooks written; the kernelspec is in kindling-jupyter/target/kernel/jupyter (JUPYTER_PATH)"

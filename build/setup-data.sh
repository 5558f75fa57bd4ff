#!/usr/bin/env bash
# Provisions the data sets the tests, samples and benchmarks read. Idempotent: does nothing
# when the data is already there. On Debian/Ubuntu it installs the packaged data with apt-get;
# elsewhere it says what to download and where to put it.
set -euo pipefail

FASHION_DIR=/usr/share/datasets/fashion-mnist
fashion_files=(train-images-idx3-ubyte.gz train-labels-idx1-ubyte.gz t10k-images-idx3-ubyte.gz t10k-labels-idx1-ubyte.gz)

have_fashion() {
  local dir=${FASHION_MNIST_DIR:-$FASHION_DIR}
  for f in "${fashion_files[@]}"; do [ -f "$dir/$f" ] || return 1; done
}

if have_fashion; then
  echo "setup-data: Fashion-MNIST present in ${FASHION_MNIST_DIR:-$FASHION_DIR}"
  exit 0
fi

if command -v apt-get >/dev/null 2>&1; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  echo "setup-data: installing Debian package dataset-fashion-mnist"
  if ! $SUDO apt-get install -y -qq dataset-fashion-mnist >/dev/null 2>&1; then
    $SUDO apt-get update -qq
    $SUDO apt-get install -y -qq dataset-fashion-mnist
  fi
  have_fashion && { echo "setup-data: Fashion-MNIST installed in $FASHION_DIR"; exit 0; }
fi

cat >&2 <<MSG
setup-data: Fashion-MNIST is missing and could not be installed with apt-get.
Download the four files
  ${fashion_files[*]}
from https://github.com/zalandoresearch/fashion-mnist (data/fashion) into a folder, and
either put them in $FASHION_DIR or set FASHION_MNIST_DIR to that folder.
MSG
exit 1

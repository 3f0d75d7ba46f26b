#!/usr/bin/env bash
# Installs everything Vajra needs on a fresh Debian/Ubuntu machine, then the npm packages, then
# builds the renderer. Used by the README's quick start and by CI (.ci/run).
#   bash .ci/setup.sh           system packages for the tests (Chromium, fonts, poppler) + npm ci + build
#   bash .ci/setup.sh --bench   also the benchmark anchors (python3-sklearn, xgboost, scipy, FastAPI, wrk)
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(chromium fonts-dejavu-core poppler-utils xvfb)
if [[ "${1:-}" == "--bench" ]]; then
  packages+=(wrk hyperfine python3-sklearn python3-xgboost python3-scipy python3-pandas python3-onnx python3-fastapi python3-uvicorn)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if (( ${#missing[@]} > 0 )); then
  if command -v apt-get >/dev/null 2>&1; then
    sudo=""
    [[ $(id -u) -ne 0 ]] && sudo="sudo"
    echo "Installing system packages: ${missing[*]}"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "Please install: ${missing[*]} (Chromium at /usr/bin/chromium, or set VAJRA_CHROMIUM)." >&2
  fi
fi

# The Electron binary and onnxruntime's CUDA files cannot be downloaded on our build machines;
# both are optional (package.json's allowScripts denies the install scripts too).
export ELECTRON_SKIP_BINARY_DOWNLOAD=1 ONNXRUNTIME_NODE_INSTALL=skip
npm ci --no-fund --no-audit
npm run -s build

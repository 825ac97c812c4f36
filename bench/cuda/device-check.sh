#!/usr/bin/env bash
# The CUDA check for a Linux x86-64 machine with an NVIDIA GPU and no JDK (the device machine): unpacks the Java
# runtime and jars that bench/cuda/prepare.sh put in target/cuda-check, points the loader at the CUDA libraries
# of the Python environment (site-packages/nvidia/*/lib), then runs
#   1. Kindling.doctor()                                    -> doctor.txt
#   2. the kindling-cuda test suite (GPU tests included)    -> junit.txt, junit.xml
#   3. the GPU benchmark, Kindling and PyTorch side by side -> bench.md (+ the raw JSON lines)
# and writes summary.txt. Under 8 minutes on an H100. Usage, from the repository root:
#   OUT=/some/folder bash bench/cuda/device-check.sh [--quick]
# (--quick: small benchmark sizes, to check the script). Exit status: that of the test run.
set -uo pipefail
cd "$(dirname "$0")/../.."
OUT="${OUT:-target/cuda-check/out}"
QUICK="${1:-}"
BUNDLE=target/cuda-check
mkdir -p "$OUT"
SUMMARY="$OUT/summary.txt"
start=$(date +%s)
note() { echo "$*" | tee -a "$SUMMARY"; }
: > "$SUMMARY"

if [ ! -f "$BUNDLE/runtime.txz" ]; then
  note "no $BUNDLE/runtime.txz: run bash bench/cuda/prepare.sh first and carry $BUNDLE"
  exit 2
fi

PY=$(command -v python3 || true)
JRE=/tmp/kindling-jre
if [ ! -x "$JRE/jre/bin/java" ]; then
  rm -rf "$JRE" && mkdir -p "$JRE"
  "$PY" -c "import sys, tarfile; tarfile.open(sys.argv[1]).extractall(sys.argv[2])" "$BUNDLE/runtime.txz" "$JRE"
fi
JAVA="$JRE/jre/bin/java"

# CUDA libraries: the nvidia-* wheels of the Python environment first, then the toolkit and the driver's folders
libdirs=""
if [ -n "$PY" ]; then
  site=$("$PY" -c "import nvidia, os; print(os.path.dirname(list(nvidia.__path__)[0]))" 2>/dev/null || true)
  if [ -n "$site" ]; then
    libdirs=$(find "$site/nvidia" -maxdepth 3 -name 'lib*.so*' -printf '%h\n' 2>/dev/null | sort -u | tr '\n' ':')
  fi
fi
for d in /usr/local/cuda/lib64 /usr/local/nvidia/lib64 /usr/local/nvidia/lib; do
  [ -d "$d" ] && libdirs="$libdirs$d:"
done
export LD_LIBRARY_PATH="${libdirs}${LD_LIBRARY_PATH:-}"
export PATH="/usr/local/cuda/bin:$PATH"   # nvcc, for the generated-kernels compile test
CP=$(ls "$BUNDLE"/lib/*.jar | grep -v junit-platform-console | tr '\n' ':')
JOPTS=(-Xmx8g -Dkindling.cudaCacheDir=/tmp/kindling-cuda-cache)

note "== Kindling CUDA device check, $(date -u +%Y-%m-%dT%H:%M:%SZ) =="
note "GPU (nvidia-smi): $(nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader 2>&1 | head -1)"
note "LD_LIBRARY_PATH: $LD_LIBRARY_PATH"
note ""
"$JAVA" "${JOPTS[@]}" -cp "$CP" dev.kindling.Doctor > "$OUT/doctor.txt" 2>&1
cat "$OUT/doctor.txt" >> "$SUMMARY"
note ""

note "== tests (kindling-cuda, GPU tests included) =="
timeout 300 "$JAVA" "${JOPTS[@]}" -jar "$BUNDLE/lib/junit-platform-console-standalone.jar" execute \
  --class-path "$CP" --select-package dev.kindling.backend.cuda --details=tree --disable-banner \
  --reports-dir "$OUT/junit-reports" > "$OUT/junit.txt" 2>&1
status=$?
cp "$OUT"/junit-reports/TEST-junit-jupiter.xml "$OUT/junit.xml" 2>/dev/null && rm -rf "$OUT/junit-reports"
grep -E "tests (successful|failed|skipped|aborted)|containers failed" "$OUT/junit.txt" | sed 's/^\[ *//; s/ *\]$//' | tee -a "$SUMMARY"
grep -E "✘|MethodSource" "$OUT/junit.txt" | grep -B1 -A0 "✘" | head -40 >> "$SUMMARY"
note "test exit status: $status"
note ""

note "== benchmark (same GPU, same run) =="
timeout 150 "$JAVA" "${JOPTS[@]}" -cp "$CP" dev.kindling.backend.cuda.CudaBench $QUICK > "$OUT/bench-kindling.jsonl" 2> "$OUT/bench-kindling.err"
if [ -n "$PY" ] && "$PY" -c "import torch; assert torch.cuda.is_available()" 2>/dev/null; then
  timeout 120 "$PY" bench/cuda/torch_bench.py $QUICK > "$OUT/bench-torch.jsonl" 2>&1
  note "PyTorch $("$PY" -c 'import torch; print(torch.__version__, "CUDA", torch.version.cuda)')"
else
  note "PyTorch with CUDA not available: the table has Kindling alone"
  : > "$OUT/bench-torch.jsonl"
fi
"${PY:-python3}" bench/cuda/summarize.py "$OUT/bench-kindling.jsonl" "$OUT/bench-torch.jsonl" > "$OUT/bench.md" 2>&1
cat "$OUT/bench.md" >> "$SUMMARY"
tail -3 "$OUT/bench-kindling.err" >> "$SUMMARY"
rm -f "$OUT/bench-kindling.err"
note ""
note "done in $(( $(date +%s) - start )) s"
exit $status

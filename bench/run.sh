#!/usr/bin/env bash
# Kindling vs PyTorch, side by side: builds the bench module, runs each workload group in fresh processes,
# PyTorch and Kindling interleaved (PyTorch rep 1, Kindling rep 1, PyTorch rep 2, ...), and prints one
# markdown table of medians with the Kindling/PyTorch ratio (> 1 means Kindling is better).
# See bench/README.md.
#
#   bash bench/run.sh [--threads N] [--reps R] [--only g1,g2] [--quick] [--no-torch] [--vector]
#
# --vector starts Kindling's JVM with --add-modules jdk.incubator.vector -Dkindling.unsafe=false (its Vector API
# kernels for exp, sigmoid and softmax, which JDK 17-23 only use without sun.misc.Unsafe) and writes
# bench/results/latest-vector*.jsonl instead.
#
# Groups: mlp_train, tiny, inference, optim, ops, more_ops, cnn, cnn_epoch, memory (default: all; memory is covered by
# mlp_train; cnn_epoch and memory run once per side).
# Results: bench/results/latest.jsonl (one line per workload); raw lines in bench/results/latest-raw.jsonl,
# the processes' stderr in bench/results/latest.log.
set -euo pipefail
export LC_NUMERIC=C

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PY=/usr/bin/python3
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
ALL_GROUPS=(mlp_train tiny inference optim ops more_ops cnn cnn_epoch memory)

threads=2 reps=5 only="" quick=0 torch=1 tag="" java_opts=()
usage() {
    awk 'NR > 1 && !/^#/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "${BASH_SOURCE[0]}"
    exit "${1:-0}"
}
while [[ $# -gt 0 ]]; do
    case "$1" in
        --threads) threads=${2:?--threads needs a number}; shift 2 ;;
        --reps) reps=${2:?--reps needs a number}; shift 2 ;;
        --only) only=${2:?--only needs a comma list}; shift 2 ;;
        --quick) quick=1; shift ;;
        --no-torch) torch=0; shift ;;
        --vector) tag=-vector; java_opts+=(--add-modules jdk.incubator.vector -Dkindling.unsafe=false); shift ;;
        -h|--help) usage 0 ;;
        *) echo "run.sh: unknown option $1" >&2; usage 2 ;;
    esac
done
[[ $threads =~ ^[1-9][0-9]*$ ]] || { echo "run.sh: --threads must be a positive integer" >&2; exit 2; }
[[ $reps =~ ^[1-9][0-9]*$ ]] || { echo "run.sh: --reps must be a positive integer" >&2; exit 2; }

groups=()
if [[ -z $only ]]; then
    groups=(mlp_train tiny inference optim ops more_ops cnn cnn_epoch)
else
    IFS=, read -r -a wanted <<< "$only"
    for g in "${wanted[@]}"; do
        [[ " ${ALL_GROUPS[*]} " == *" $g "* ]] || { echo "run.sh: unknown group '$g' (groups: ${ALL_GROUPS[*]})" >&2; exit 2; }
        groups+=("$g")
    done
    if [[ " ${groups[*]} " == *" mlp_train "* && " ${groups[*]} " == *" memory "* ]]; then
        echo "run.sh: memory is covered by mlp_train's peak RSS lines; not running it separately" >&2
        groups=("${groups[@]/memory}")
    fi
fi

# ---- PyTorch: present, and on an optimised BLAS, or no comparison
if [[ $torch == 1 ]] && ! "$PY" -c "import torch" 2>/dev/null; then
    echo "run.sh: $PY cannot import torch: running Kindling alone (install python3-torch to compare)" >&2
    torch=0
fi
if [[ $torch == 1 ]]; then
    fix="Fix: apt-get install -y libopenblas0-pthread  (Debian's torch uses the system libblas.so.3; check with
  update-alternatives --display libblas.so.3-x86_64-linux-gnu), or run with --no-torch to measure Kindling alone."
    blas=$(readlink -f /usr/lib/x86_64-linux-gnu/libblas.so.3 2>/dev/null || true)
    if [[ $blas != *openblas* ]]; then
        echo "run.sh: REFUSING to compare: PyTorch would run on the reference BLAS (libblas.so.3 -> ${blas:-missing}),"
        echo "whose matmul is 10-50x slower than an optimised one, so every ratio would flatter Kindling."
        echo "$fix"
        exit 1
    fi >&2
    # Debian's OpenBLAS picks its kernels by CPU model and falls back to generic SSE3 ones ("Prescott") on models newer
    # than it knows (seen on an Emerald Rapids VM, model 207: 1024^3 matmul 24-31 GFLOP/s instead of 168-180): then
    # name the kernels the CPU can run, for the PyTorch processes only (Kindling's own OpenBLAS knows the model)
    torch_env=(OMP_WAIT_POLICY=PASSIVE)
    if [[ -z ${OPENBLAS_CORETYPE:-} ]]; then
        # the same question suite.py asks and records (openblas_get_corename of the BLAS torch mapped)
        core=$(cd "$ROOT/bench/python" && "$PY" -c "import suite; print(suite.openblas_core(suite.loaded_blas()))" 2>/dev/null || true)
        flags=$(grep -m1 '^flags' /proc/cpuinfo 2>/dev/null || true)
        if [[ $core == Prescott || $core == Katmai || $core == Core2 ]]; then
            if [[ $flags == *avx512bw* && $flags == *avx512vl* ]]; then torch_env+=(OPENBLAS_CORETYPE=SkylakeX)
            elif [[ $flags == *avx2* ]]; then torch_env+=(OPENBLAS_CORETYPE=Haswell)
            fi
            [[ ${#torch_env[@]} -gt 1 ]] && echo "run.sh: PyTorch's OpenBLAS does not know this CPU (it chose $core kernels):" \
                "running PyTorch with ${torch_env[1]}" >&2
        fi
    fi
    gflops=$(env "${torch_env[@]}" "$PY" - "$threads" <<'EOF'
import sys, time, torch
torch.set_num_threads(int(sys.argv[1]))
a, b = torch.randn(512, 512), torch.randn(512, 512)
for _ in range(3):
    a @ b
best = float("inf")
for _ in range(20):
    t0 = time.perf_counter()
    a @ b
    best = min(best, time.perf_counter() - t0)
print(f"{2 * 512 ** 3 / best / 1e9:.1f}")
EOF
) || gflops=""
    if ! awk -v g="$gflops" 'BEGIN { exit !(g >= 20) }'; then
        echo "run.sh: REFUSING to compare: PyTorch multiplies 512x512 float32 matrices at only ${gflops:-? (the timing failed)} GFLOP/s" \
             "(< 20 GFLOP/s: a reference BLAS, libblas.so.3 -> $blas)." >&2
        echo "$fix" >&2
        exit 1
    fi
    echo "run.sh: PyTorch BLAS $blas, 512x512 matmul $gflops GFLOP/s on $threads threads: OK" >&2
fi

# ---- build, then snapshot what the JVM loads (another build may rewrite target/ while we measure)
work=$(mktemp -d "${TMPDIR:-/tmp}/kindling-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
echo "run.sh: building the bench module (mvn -B -q -pl bench -am package)..." >&2
if ! (cd "$ROOT" && mvn -B -q -pl bench -am package -DskipTests -Dmaven.javadoc.skip \
        dependency:build-classpath -Dmdep.outputFile="$work/cp.txt") > "$work/build.log" 2>&1; then
    tail -40 "$work/build.log" >&2
    echo "run.sh: build failed (log above)" >&2
    exit 1
fi
mkdir -p "$work/lib"
cp -r "$ROOT/bench/target/classes" "$work/bench-classes"
cp_entries=("$work/bench-classes")
IFS=: read -r -a deps < "$work/cp.txt" || true   # no final newline
for d in "${deps[@]}"; do
    if [[ $d == "$ROOT"/* && -f $d ]]; then cp "$d" "$work/lib/"; d="$work/lib/$(basename "$d")"; fi
    cp_entries+=("$d")
done
CP=$(IFS=:; echo "${cp_entries[*]}")

# ---- run, interleaved
results="$ROOT/bench/results"
mkdir -p "$results"
raw="$results/latest$tag-raw.jsonl" log="$results/latest$tag.log"
: > "$raw"
: > "$log"
extra=()
[[ $quick == 1 ]] && extra+=(--quick)
meta() { printf '{"impl":"run","meta":"%s","value":"%s"}\n' "$1" "${2//\"/\'}" >> "$raw"; }
meta cpu "$(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2 | sed 's/^ *//')"
meta load_average_at_start "$(cut -d' ' -f1-3 /proc/loadavg)"
meta kindling_jvm_flags "-Xss4m ${java_opts[*]} ${KINDLING_JAVA_OPTS:-}"
[[ $torch == 1 ]] && meta pytorch_matmul_512 "$gflops GFLOP/s"
[[ $torch == 1 ]] && meta pytorch_env "${torch_env[*]}"
failed=()
run_one() {   # impl group rep nrep
    local impl=$1 g=$2 t0=$EPOCHREALTIME rc=0
    echo "== $impl $g rep $3/$4" >> "$log"
    if [[ $impl == pytorch ]]; then
        env "${torch_env[@]}" "$PY" "$ROOT/bench/python/suite.py" "$g" --threads "$threads" "${extra[@]}" >> "$raw" 2>> "$log" || rc=$?
    else
        # shellcheck disable=SC2086 # KINDLING_JAVA_OPTS is a list of flags, split on purpose
        "$JAVA" -Xss4m "${java_opts[@]}" ${KINDLING_JAVA_OPTS:-} -cp "$CP" dev.kindling.bench.Suite "$g" --threads "$threads" "${extra[@]}" >> "$raw" 2>> "$log" || rc=$?
    fi
    printf 'run.sh: [%s %d/%d] %-8s %6.1f s%s\n' "$g" "$3" "$4" "$impl" "$(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { print b - a }')" \
        "$([[ $rc == 0 ]] || echo "  FAILED (exit $rc, see $log)")" >&2
    [[ $rc == 0 ]] || failed+=("$impl $g rep $3")
}
for g in "${groups[@]}"; do
    [[ -n $g ]] || continue
    n=$reps
    [[ $g == memory || $g == cnn_epoch ]] && n=1
    for ((r = 1; r <= n; r++)); do
        [[ $torch == 1 ]] && run_one pytorch "$g" "$r" "$n"
        run_one kindling "$g" "$r" "$n"
    done
done
meta load_average_at_end "$(cut -d' ' -f1-3 /proc/loadavg)"

echo
agg=(--threads "$threads" --reps "$reps" --out "$results/latest$tag.jsonl")
[[ $quick == 1 ]] && agg+=(--quick)
"$PY" "$ROOT/bench/python/aggregate.py" "$raw" "${agg[@]}"
[[ $torch == 1 ]] || echo "(PyTorch not run: Kindling figures only.)"
if [[ ${#failed[@]} -gt 0 ]]; then
    echo "run.sh: ${#failed[@]} process(es) failed: ${failed[*]} (stderr in $log)" >&2
    exit 1
fi

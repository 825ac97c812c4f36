#!/usr/bin/env bash
# Builds what bench/cuda/device-check.sh needs on a GPU machine without a JDK or Maven, into target/cuda-check/:
#   runtime.txz   a jlink'ed Java 17 runtime (the modules the jars use, stripped; xz: 13 MB instead of gzip's 20,
#                 unpacked there with Python's tarfile, since the machine has Python but maybe no xz)
#   lib/          kindling-engine, kindling-cuda (+ its test jar), their dependencies and the JUnit console launcher
# and checks that this folder plus the working tree stay under the device machine's 64 MiB limit.
# To fit, the oneDNN native jar (27 MB) is left out (convolution does not run on CUDA yet, and the CPU side falls
# back to im2col + gemm without it), the OpenBLAS native jar keeps only the no-LAPACK JNI library the engine loads
# (20 -> 8 MB), and the runtime has no java.desktop (JNA, its only user, is only asked for OpenMP calls and the
# engine catches its failure); jdk.zipfs is there for JUnit, which scans the test jar through it. Usage: bash bench/cuda/prepare.sh   (then carry target/cuda-check)
set -euo pipefail
cd "$(dirname "$0")/../.."

OUTDIR=target/cuda-check
JUNIT_CONSOLE=org.junit.platform:junit-platform-console-standalone:1.11.4
MODULES=java.base,java.logging,java.xml,java.sql,java.management,jdk.management,jdk.unsupported,java.net.http,jdk.zipfs,jdk.incubator.vector

rm -rf "$OUTDIR"
mkdir -p "$OUTDIR/lib"

mvn -B -q -pl cuda -am install -DskipTests -Dmaven.javadoc.skip=true
mvn -B -q -pl cuda dependency:copy-dependencies -DincludeScope=test -DoutputDirectory="$PWD/$OUTDIR/lib" \
  -DexcludeGroupIds=org.junit.jupiter,org.junit.platform,org.opentest4j,org.apiguardian
mvn -B -q dependency:copy -Dartifact="$JUNIT_CONSOLE" -DoutputDirectory="$PWD/$OUTDIR/lib" -Dmdep.stripVersion=true
cp cuda/target/kindling-cuda-*-tests.jar cuda/target/kindling-cuda-*[0-9T].jar "$OUTDIR/lib/"
rm -f "$OUTDIR"/lib/dnnl-*-linux-*.jar
python3 - "$OUTDIR"/lib/openblas-*-linux-x86_64.jar <<'PY'
import os, sys, zipfile
path = sys.argv[1]
drop = ("libjniopenblas_full.so", "libjniopenblas.so")
with zipfile.ZipFile(path) as src, zipfile.ZipFile(path + ".tmp", "w", zipfile.ZIP_DEFLATED, compresslevel=9) as dst:
    for item in src.infolist():
        if not item.filename.endswith(drop):
            dst.writestr(item, src.read(item.filename))
os.replace(path + ".tmp", path)
PY

JLINK="${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")}/bin/jlink"
"$JLINK" --add-modules "$MODULES" --strip-debug --no-man-pages --no-header-files --compress=0 --output "$OUTDIR/jre"
"$OUTDIR/jre/bin/java" -version 2>&1 | head -1
tar -C "$OUTDIR" -cJf "$OUTDIR/runtime.txz" jre
rm -rf "$OUTDIR/jre"

bundle=$(du -sb "$OUTDIR" | cut -f1)
tree=$( (git ls-files -z; git ls-files -z --others --exclude-standard) | xargs -0 du -cb 2>/dev/null | tail -1 | cut -f1)
total=$((bundle + tree))
printf 'target/cuda-check: %.1f MiB (runtime %.1f MiB, %d jars); with the working tree: %.1f MiB of 64 MiB\n' \
  "$(echo "$bundle / 1048576" | bc -l)" "$(echo "$(stat -c %s "$OUTDIR/runtime.txz") / 1048576" | bc -l)" \
  "$(ls "$OUTDIR"/lib/*.jar | wc -l)" "$(echo "$total / 1048576" | bc -l)"
if [ "$total" -ge $((60 * 1048576)) ]; then
  echo "too big for the device machine (keep 4 MiB of margin under 64 MiB)" >&2
  exit 1
fi

package dev.kindling.backend.cuda;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs generated CUDA kernels on the CPU: the sources are compiled as C++ by g++ with a few definitions standing in
 * for CUDA's ({@code __global__}, {@code threadIdx}, {@code __uint_as_float}, ...), launched as one block of one
 * thread (the kernels' grid-stride loops then visit every element), and their outputs are compared with the CPU
 * backend's. This checks what the templates compute, not just that they compile, on machines without a GPU.
 */
final class HostKernels {
    private static final String SHIM = """
            #include <cmath>
            #include <cstdio>
            #include <cstdlib>
            #include <cstring>
            #define __global__
            #define __device__
            #define __forceinline__ inline
            #define __restrict__
            #define __shared__ static
            struct KDim { unsigned x, y, z; };
            static KDim threadIdx{0, 0, 0}, blockIdx{0, 0, 0}, blockDim{1, 1, 1}, gridDim{1, 1, 1};
            inline void __syncthreads() {}
            inline float __uint_as_float(unsigned u) { float f; std::memcpy(&f, &u, 4); return f; }
            inline unsigned __float_as_uint(float f) { unsigned u; std::memcpy(&u, &f, 4); return u; }
            inline double __longlong_as_double(long long v) { double d; std::memcpy(&d, &v, 8); return d; }
            // a product rounded once and never contracted into a multiply-add (volatile stops g++ fusing it)
            inline float __fmul_rn(float a, float b) { volatile float r = a * b; return r; }
            inline double __dmul_rn(double a, double b) { volatile double r = a * b; return r; }
            template <typename T> inline T atomicAdd(T* p, T v) { T old = *p; *p = old + v; return old; }
            static void save(const char* name, const void* p, size_t n) {
                FILE* f = std::fopen(name, "wb"); std::fwrite(p, 1, n, f); std::fclose(f);
            }
            """;

    private final List<KernelSource> kernels = new ArrayList<>();
    private final StringBuilder main = new StringBuilder();
    private final Map<String, Integer> outputs = new LinkedHashMap<>();
    private int arrays;

    static Path gxx() {
        String path = System.getenv("PATH");
        if (path == null) return null;
        for (String d : path.split(java.io.File.pathSeparator)) {
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, "g++"))) return Path.of(d, "g++");
        }
        return null;
    }

    /** Adds {@code k} to the program (once per name). */
    HostKernels kernel(KernelSource k) {
        if (kernels.stream().noneMatch(x -> x.name().equals(k.name()))) kernels.add(k);
        return this;
    }

    /** Declares a byte array holding {@code data} (from 0 to its limit) and returns its C name. */
    String array(ByteBuffer data) {
        String name = "buf" + arrays++;
        StringBuilder sb = new StringBuilder("  static unsigned char ").append(name).append("[] = {");
        for (int i = 0; i < data.limit(); i++) sb.append(i == 0 ? "" : ",").append(data.get(i) & 0xff);
        if (data.limit() == 0) sb.append('0');
        main.append(sb).append("};\n");
        return name;
    }

    /** Declares {@code long long} fields (a geometry struct image) and returns the C expression of the struct. */
    String struct(String type, long[] fields) {
        String name = "geo" + arrays++;
        StringBuilder sb = new StringBuilder("  static long long ").append(name).append("_v[] = {");
        for (int i = 0; i < fields.length; i++) sb.append(i == 0 ? "" : ",").append(fields[i]).append("LL");
        main.append(sb).append("};\n  ").append(type).append(' ').append(name).append("; std::memcpy(&").append(name)
                .append(", ").append(name).append("_v, sizeof ").append(name).append(");\n");
        return name;
    }

    /** A statement of the program's main, in order. */
    HostKernels statement(String c) {
        main.append("  ").append(c).append('\n');
        return this;
    }

    /** Writes array {@code name} ({@code bytes} long) to a file read back as output {@code key}. */
    HostKernels output(String key, String name, int bytes) {
        outputs.put(key, bytes);
        main.append("  save(\"").append(key).append(".bin\", ").append(name).append(", ").append(bytes).append(");\n");
        return this;
    }

    static String literal(double v) {
        if (Double.isNaN(v)) return "NAN";
        if (Double.isInfinite(v)) return v > 0 ? "INFINITY" : "-INFINITY";
        return Double.toHexString(v);
    }

    /** Compiles and runs the program in {@code dir}; returns each output's bytes, native order. */
    Map<String, ByteBuffer> run(Path dir) throws IOException, InterruptedException {
        String tu = KernelCatalog.translationUnit(kernels);
        Files.writeString(dir.resolve("host.cpp"), SHIM + tu + "int main() {\n" + main + "  return 0;\n}\n");
        Process c = new ProcessBuilder(gxx().toString(), "-std=c++17", "-O1", "-w", "-o", "host", "host.cpp")
                .directory(dir.toFile()).redirectErrorStream(true).start();
        String log = new String(c.getInputStream().readAllBytes());
        if (!c.waitFor(300, TimeUnit.SECONDS) || c.exitValue() != 0) throw new AssertionError("g++ failed:\n" + log);
        Process r = new ProcessBuilder(dir.resolve("host").toString()).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(r.getInputStream().readAllBytes());
        if (!r.waitFor(120, TimeUnit.SECONDS) || r.exitValue() != 0) throw new AssertionError("host kernels failed: " + out);
        Map<String, ByteBuffer> res = new LinkedHashMap<>();
        for (String k : outputs.keySet()) {
            res.put(k, ByteBuffer.wrap(Files.readAllBytes(dir.resolve(k + ".bin"))).order(ByteOrder.nativeOrder()));
        }
        return res;
    }
}

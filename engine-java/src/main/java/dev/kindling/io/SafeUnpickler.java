package dev.kindling.io;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A pickle reader that never runs code: it builds plain Java values (Long, BigInteger, Double, Boolean,
 * String, byte[], null, ArrayList for lists, unmodifiable lists for tuples, LinkedHashMap for dicts) and
 * resolves a global only when it is on {@link #ALLOWED}; any other global (such as {@code os.system} or
 * {@code builtins.eval}) is refused with its name as soon as the pickle names it, before anything could call
 * it. This is the security boundary of {@link PyTorchFiles}. Calls ({@code REDUCE}) on allowed globals and
 * persistent ids are handed to a {@link Resolver}.
 */
final class SafeUnpickler {
    /** The globals a PyTorch state dict needs; nothing else can be named. */
    static final Set<String> ALLOWED = Set.of(
            "collections.OrderedDict",
            "torch._utils._rebuild_tensor_v2",
            "torch._utils._rebuild_parameter",
            "torch.FloatStorage", "torch.DoubleStorage", "torch.LongStorage", "torch.IntStorage",
            "torch.BoolStorage", "torch.HalfStorage", "torch.BFloat16Storage");

    /** An allowed global, as a value on the stack. */
    record Global(String name) {}

    /** Gives meaning to the calls and persistent ids of a pickle. */
    interface Resolver {
        Object call(Global callable, List<Object> args);

        Object persistentLoad(Object pid);
    }

    private static final Object MARK = new Object();

    private final Path file;
    private final ByteBuffer in;
    private final Resolver resolver;
    private final ArrayList<Object> stack = new ArrayList<>();
    private final ArrayList<Integer> marks = new ArrayList<>();
    private final Map<Long, Object> memo = new HashMap<>();

    SafeUnpickler(Path file, byte[] pickle, Resolver resolver) {
        this.file = file;
        this.in = ByteBuffer.wrap(pickle).order(ByteOrder.LITTLE_ENDIAN);
        this.resolver = resolver;
    }

    Object load() {
        try {
            while (true) {
                int pos = in.position();
                int op = u8();
                if (op == '.') {
                    if (stack.size() != 1 || !marks.isEmpty()) throw bad("STOP with " + stack.size() + " values on the stack");
                    return stack.get(0);
                }
                step(op, pos);
            }
        } catch (java.nio.BufferUnderflowException e) {
            throw bad("pickle ends in the middle of an instruction");
        } catch (IndexOutOfBoundsException | ClassCastException e) {
            throw bad("malformed pickle (" + e.getMessage() + ")");
        }
    }

    private void step(int op, int pos) {
        switch (op) {
            case 0x80 -> {   // PROTO
                int proto = u8();
                if (proto > 5) throw bad("unsupported pickle protocol " + proto);
            }
            case 0x95 -> in.getLong();                                 // FRAME: a length hint only
            case '(' -> marks.add(stack.size());                       // MARK
            case '0' -> pop();                                         // POP
            case '1' -> popMark();                                     // POP_MARK
            case '2' -> push(peek());                                  // DUP
            case 'N' -> push(null);
            case 0x88 -> push(Boolean.TRUE);
            case 0x89 -> push(Boolean.FALSE);
            case 'J' -> push((long) in.getInt());                      // BININT
            case 'K' -> push((long) u8());                             // BININT1
            case 'M' -> push((long) (in.getShort() & 0xffff));         // BININT2
            case 0x8a -> push(longBytes(u8()));                        // LONG1
            case 0x8b -> push(longBytes(length(in.getInt())));         // LONG4
            case 'I' -> push(textInt(line()));                         // INT
            case 'L' -> push(textLong(line()));                        // LONG
            case 'G' -> push(Double.longBitsToDouble(Long.reverseBytes(in.getLong()))); // BINFLOAT is big-endian
            case 'F' -> push(textFloat(line()));                       // FLOAT
            case 'X' -> push(utf8(length(in.getInt())));               // BINUNICODE
            case 0x8c -> push(utf8(u8()));                             // SHORT_BINUNICODE
            case 0x8d -> push(utf8(length(in.getLong())));             // BINUNICODE8
            case 'T' -> push(latin1(length(in.getInt())));             // BINSTRING
            case 'U' -> push(latin1(u8()));                            // SHORT_BINSTRING
            case 'B' -> push(bytes(length(in.getInt())));              // BINBYTES
            case 'C' -> push(bytes(u8()));                             // SHORT_BINBYTES
            case 0x8e -> push(bytes(length(in.getLong())));            // BINBYTES8
            case ')' -> push(tuple(List.of()));                        // EMPTY_TUPLE
            case 't' -> push(tuple(popMark()));                        // TUPLE
            case 0x85 -> push(tuple(popN(1)));
            case 0x86 -> push(tuple(popN(2)));
            case 0x87 -> push(tuple(popN(3)));
            case ']' -> push(new ArrayList<>());                       // EMPTY_LIST
            case 'l' -> push(new ArrayList<>(popMark()));              // LIST
            case 'a' -> {                                              // APPEND
                Object v = pop();
                list(peek()).add(v);
            }
            case 'e' -> {                                              // APPENDS
                List<Object> items = popMark();
                list(peek()).addAll(items);
            }
            case '}' -> push(new LinkedHashMap<>());                   // EMPTY_DICT
            case 'd' -> push(dictOf(popMark()));                       // DICT
            case 's' -> {                                              // SETITEM
                Object v = pop(), k = pop();
                dict(peek()).put(k, v);
            }
            case 'u' -> {                                              // SETITEMS
                List<Object> kv = popMark();
                dict(peek()).putAll(dictOf(kv));
            }
            case 'c' -> push(global(line(), line()));                  // GLOBAL "module\nname\n"
            case 0x93 -> {                                             // STACK_GLOBAL
                Object name = pop(), module = pop();
                if (!(module instanceof String m) || !(name instanceof String n)) throw bad("STACK_GLOBAL needs two strings");
                push(global(m, n));
            }
            case 'i' -> {                                              // INST "module\nname\n": a call by name
                global(line(), line());
                throw bad("INST is not used by state dicts");
            }
            case 'R' -> {                                              // REDUCE
                Object args = pop(), callable = pop();
                if (!(callable instanceof Global g)) throw bad("REDUCE on " + describe(callable) + ", not an allowed global");
                if (!(args instanceof List<?> a)) throw bad("REDUCE arguments are " + describe(args) + ", not a tuple");
                @SuppressWarnings("unchecked") List<Object> argList = (List<Object>) a;
                push(resolver.call(g, argList));
            }
            case 'b' -> {                                              // BUILD: sets attributes (OrderedDict._metadata)
                Object state = pop();
                Object target = peek();
                if (!(target instanceof Map<?, ?>) && !(target instanceof dev.kindling.Tensor)) {
                    throw bad("BUILD on " + describe(target));
                }
                if (state != null && !(state instanceof Map<?, ?>) && !(state instanceof List<?>)) throw bad("BUILD with " + describe(state));
                // attributes such as a state dict's _metadata (module versions) carry no tensor data: dropped
            }
            case 'Q' -> push(resolver.persistentLoad(pop()));          // BINPERSID
            case 'P' -> push(resolver.persistentLoad(line()));         // PERSID
            case 'h' -> push(memoGet(u8()));                           // BINGET
            case 'j' -> push(memoGet(in.getInt() & 0xffffffffL));      // LONG_BINGET
            case 'g' -> push(memoGet(textLong(line()).longValue()));   // GET
            case 'q' -> memo.put((long) u8(), peek());                 // BINPUT
            case 'r' -> memo.put(in.getInt() & 0xffffffffL, peek());   // LONG_BINPUT
            case 'p' -> memo.put(textLong(line()).longValue(), peek()); // PUT
            case 0x94 -> memo.put((long) memo.size(), peek());         // MEMOIZE
            case 0x81, 0x92, 'o' -> throw bad("object construction (" + opName(op) + ") is not used by state dicts");
            case 0x82, 0x83, 0x84 -> throw bad("extension-registry globals (EXT) are refused");
            default -> throw bad(String.format("unsupported pickle opcode 0x%02x at byte %d", op, pos));
        }
    }

    private Global global(String module, String name) {
        String full = module + "." + name;
        if (!ALLOWED.contains(full)) {
            throw new FileFormatException(file, "refusing pickle global '" + full + "': only the globals a state dict needs"
                    + " are allowed (" + String.join(", ", new java.util.TreeSet<>(ALLOWED)) + ")");
        }
        return new Global(full);
    }

    private FileFormatException bad(String problem) {
        return new FileFormatException(file, "data.pkl: " + problem);
    }

    private static String opName(int op) {
        return switch (op) {
            case 0x81 -> "NEWOBJ";
            case 0x92 -> "NEWOBJ_EX";
            default -> "OBJ";
        };
    }

    static String describe(Object o) {
        return o == null ? "None" : o instanceof Global g ? g.name() : o.getClass().getSimpleName();
    }

    // ---------------------------------------------------------------- stack and memo

    private void push(Object o) { stack.add(o); }

    private Object pop() {
        if (stack.isEmpty() || (!marks.isEmpty() && marks.get(marks.size() - 1) == stack.size())) throw bad("stack underflow");
        return stack.remove(stack.size() - 1);
    }

    private Object peek() {
        if (stack.isEmpty()) throw bad("stack underflow");
        return stack.get(stack.size() - 1);
    }

    private List<Object> popN(int n) {
        List<Object> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) out.add(0, pop());
        return out;
    }

    private List<Object> popMark() {
        if (marks.isEmpty()) throw bad("no MARK to pop to");
        int m = marks.remove(marks.size() - 1);
        List<Object> items = new ArrayList<>(stack.subList(m, stack.size()));
        stack.subList(m, stack.size()).clear();
        return items;
    }

    private Object memoGet(long key) {
        if (!memo.containsKey(key)) throw bad("memo key " + key + " was never stored");
        return memo.get(key);
    }

    private static List<Object> tuple(List<Object> items) { return Collections.unmodifiableList(new ArrayList<>(items)); }

    @SuppressWarnings("unchecked")
    private List<Object> list(Object o) {
        if (o instanceof ArrayList<?> l) return (List<Object>) l;
        throw bad("APPEND to " + describe(o));
    }

    @SuppressWarnings("unchecked")
    private Map<Object, Object> dict(Object o) {
        if (o instanceof Map<?, ?> m) return (Map<Object, Object>) m;
        throw bad("SETITEM on " + describe(o));
    }

    private Map<Object, Object> dictOf(List<Object> kv) {
        if (kv.size() % 2 != 0) throw bad("odd number of items for a dict");
        Map<Object, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.size(); i += 2) m.put(kv.get(i), kv.get(i + 1));
        return m;
    }

    // ---------------------------------------------------------------- reading

    private int u8() { return in.get() & 0xff; }

    /** A length field, checked against what is left before anything is allocated from it. */
    private int length(long n) {
        if (n < 0 || n > in.remaining()) throw bad("length " + n + " runs past the end of the pickle");
        return (int) n;
    }

    private byte[] bytes(int n) {
        byte[] b = new byte[length(n)];
        in.get(b);
        return b;
    }

    private String utf8(int n) { return new String(bytes(n), StandardCharsets.UTF_8); }

    private String latin1(int n) { return new String(bytes(n), StandardCharsets.ISO_8859_1); }

    private String line() {
        int start = in.position();
        while (in.get() != '\n') {
            if (in.position() - start > 4096) throw bad("text field longer than 4096 bytes");
        }
        return new String(in.array(), start, in.position() - start - 1, StandardCharsets.UTF_8);
    }

    private Object longBytes(int n) {
        byte[] le = bytes(n);
        if (n == 0) return 0L;
        byte[] be = new byte[n];
        for (int i = 0; i < n; i++) be[i] = le[n - 1 - i];
        BigInteger v = new BigInteger(be);   // two's complement, as pickle stores it
        return v.bitLength() < 64 ? (Object) v.longValue() : v;
    }

    private Object textInt(String s) {
        if (s.equals("01")) return Boolean.TRUE;    // protocol 0 spells booleans as INT 01 / 00
        if (s.equals("00")) return Boolean.FALSE;
        return textLong(s);
    }

    private Number textLong(String s) {
        try {
            BigInteger v = new BigInteger(s.endsWith("L") ? s.substring(0, s.length() - 1) : s);
            return v.bitLength() < 64 ? (Number) v.longValue() : v;
        } catch (NumberFormatException e) {
            throw bad("bad integer '" + s + "'");
        }
    }

    private double textFloat(String s) {
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            throw bad("bad float '" + s + "'");
        }
    }
}

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads an async-profiler HTML flame graph back into its frame tree and writes its collapsed stacks
 * ("frame;frame;frame count", one line per distinct stack, the count being the stack's self samples,
 * or its total with the profiler's {@code total} option), so that profiles can be compared with grep,
 * sort and awk. The HTML keeps the tree as a constant pool of frame names (each sharing a prefix with
 * the one before it) and calls f(key, level, left, width), u(...) (first child of the frame before) and
 * n(...) (next sibling), in depth-first order, the width of a frame being the samples under it.
 *
 * <p>With --merge-threads, the thread frames of a profile taken with async-profiler's threads option
 * ("[qtp1234-56 tid=789]") lose their numbers ("[qtpN-N]"): the threads of one pool add up to one tree.
 * With an HTML file after the collapsed one, the merged tree is also written as a flame graph, on the
 * input's page (the inlined/C1/interpreted split of a frame's samples is not kept).
 *
 * <p>Usage: java src/bench/FlameCollapse.java [--merge-threads] FLAME.html OUT.collapsed [OUT.html]
 */
public final class FlameCollapse {
    private static final Pattern CALL = Pattern.compile("^([fun])\\(([^)]*)\\)$");
    private static final Pattern THREAD = Pattern.compile("^\\[(.*?) ?tid=\\d+\\]$");

    /** A frame of the tree: its name and type (the flame graph's colour), the samples under it. */
    private static final class Node {
        final String title;
        final int type;
        long width;
        final Map<String, Node> children = new LinkedHashMap<>();

        Node(String title, int type) {
            this.title = title;
            this.type = type;
        }

        Node child(String title, int type) {
            return children.computeIfAbsent(type + " " + title, key -> new Node(title, type));
        }
    }

    public static void main(String[] args) throws IOException {
        boolean merge = args.length > 0 && args[0].equals("--merge-threads");
        int first = merge ? 1 : 0;
        if (args.length - first < 2 || args.length - first > 3) {
            System.err.println("usage: java src/bench/FlameCollapse.java [--merge-threads] FLAME.html OUT.collapsed [OUT.html]");
            System.exit(2);
        }
        List<String> lines = Files.readAllLines(Path.of(args[first]), StandardCharsets.UTF_8);
        int start = 0;
        while (start < lines.size() && !lines.get(start).startsWith("const cpool = [")) {
            start++;
        }
        if (start == lines.size()) {
            throw new IllegalArgumentException(args[first] + ": no cpool, not an async-profiler flame graph");
        }
        List<String> pool = new ArrayList<>();
        int i = start + 1;
        for (; i < lines.size() && !lines.get(i).startsWith("]"); i++) {
            String name = unquote(lines.get(i));
            // The first character says how many characters it shares with the name before (plus 32).
            pool.add(pool.isEmpty() ? name
                    : pool.get(pool.size() - 1).substring(0, name.charAt(0) - 32) + name.substring(1));
        }
        Node root = null;
        List<Node> path = new ArrayList<>();
        int level0 = 0;
        long width0 = 0;
        int lastCall = i;
        for (; i < lines.size(); i++) {
            Matcher call = CALL.matcher(lines.get(i).trim());
            if (!call.matches()) {
                continue;
            }
            lastCall = i;
            String[] a = call.group(2).split(",");
            int key = Integer.parseInt(a[0].trim());
            int level = switch (call.group(1)) {
                case "f" -> Integer.parseInt(a[1].trim());
                case "u" -> level0 + 1;
                default -> level0;
            };
            int widthAt = call.group(1).equals("f") ? 3 : 1;
            long width = a.length > widthAt && !a[widthAt].isBlank() ? Long.parseLong(a[widthAt].trim()) : 0;
            width = width != 0 ? width : width0;
            String title = pool.get(key >>> 3);
            if (merge && level == 1) {
                Matcher thread = THREAD.matcher(title);
                if (thread.matches()) {
                    title = "[" + thread.group(1).replaceAll("\\d+", "N") + "]";
                }
            }
            while (path.size() > level) {
                path.remove(path.size() - 1);
            }
            Node node;
            if (level == 0) {
                node = root = new Node(title, key & 7);
            } else {
                node = path.get(level - 1).child(title, key & 7);
            }
            node.width += width;
            path.add(node);
            level0 = level;
            width0 = width;
        }
        StringBuilder collapsed = new StringBuilder();
        for (Node child : root.children.values()) {
            collapse(child, child.title, collapsed);
        }
        Files.writeString(Path.of(args[first + 1]), collapsed, StandardCharsets.UTF_8);
        if (args.length - first == 3) {
            Files.writeString(Path.of(args[first + 2]), html(lines, start, lastCall, root), StandardCharsets.UTF_8);
        }
    }

    private static void collapse(Node node, String stack, StringBuilder out) {
        long self = node.width;
        for (Node child : node.children.values()) {
            self -= child.width;
            collapse(child, stack + ";" + child.title, out);
        }
        if (self > 0) {
            out.append(stack).append(' ').append(self).append('\n');
        }
    }

    /** @return the input's page with the tree in place of its own */
    private static String html(List<String> lines, int start, int lastCall, Node root) {
        Map<String, Integer> names = new TreeMap<>();
        int[] depth = {0};
        names(root, names, 0, depth);
        int index = 0;
        for (Map.Entry<String, Integer> name : names.entrySet()) {
            name.setValue(index++);
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i <= start; i++) {
            String line = lines.get(i);
            out.append(line.matches("\\s*const levels = Array\\(\\d+\\);")
                    ? line.replaceAll("\\d+", Integer.toString(depth[0] + 1)) : line).append('\n');
        }
        String previous = "";
        for (String name : names.keySet()) {
            int common = 0;
            int most = Math.min(Math.min(previous.length(), name.length()), 95);
            while (common < most && previous.charAt(common) == name.charAt(common)) {
                common++;
            }
            out.append(previous.isEmpty() ? quote(name) : quote((char) (common + 32) + name.substring(common)))
                    .append(",\n");
            previous = name;
        }
        out.append("];\nunpack(cpool);\n\n");
        long[] state = {0, 0, 0, -1}; // left0, width0, level0, first call not yet written
        calls(root, 0, 0, names, state, out);
        for (int i = lastCall + 1; i < lines.size(); i++) {
            out.append(lines.get(i)).append('\n');
        }
        return out.toString();
    }

    private static void names(Node node, Map<String, Integer> names, int level, int[] depth) {
        names.put(node.title, 0);
        depth[0] = Math.max(depth[0], level);
        for (Node child : node.children.values()) {
            names(child, names, level + 1, depth);
        }
    }

    private static void calls(Node node, int level, long left, Map<String, Integer> names, long[] state,
            StringBuilder out) {
        long key = ((long) names.get(node.title) << 3) | node.type;
        String width = node.width == state[1] ? "" : "," + node.width;
        if (state[3] >= 0 && level == state[2] + 1 && left == state[0]) {
            out.append("u(").append(key).append(width).append(")\n");
        } else if (state[3] >= 0 && level == state[2] && left == state[0] + state[1]) {
            out.append("n(").append(key).append(width).append(")\n");
        } else {
            out.append("f(").append(key).append(',').append(level).append(',').append(left - state[0])
                    .append(',').append(node.width).append(")\n");
        }
        state[0] = left;
        state[1] = node.width;
        state[2] = level;
        state[3] = 0;
        long childLeft = left;
        for (Node child : node.children.values()) {
            calls(child, level + 1, childLeft, names, state, out);
            childLeft += child.width;
        }
    }

    private static String quote(String text) {
        StringBuilder quoted = new StringBuilder("'");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '\\' -> quoted.append("\\\\");
                case '\'' -> quoted.append("\\'");
                case '\n' -> quoted.append("\\n");
                default -> quoted.append(c);
            }
        }
        return quoted.append('\'').toString();
    }

    /** @return the JavaScript string literal {@code 'text',} of a cpool line, unescaped */
    private static String unquote(String line) {
        String s = line.trim();
        if (s.endsWith(",")) {
            s = s.substring(0, s.length() - 1);
        }
        s = s.substring(1, s.length() - 1);
        StringBuilder text = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                char next = s.charAt(++i);
                switch (next) {
                    case 'n' -> text.append('\n');
                    case 't' -> text.append('\t');
                    case 'r' -> text.append('\r');
                    case 'x' -> {
                        text.append((char) Integer.parseInt(s.substring(i + 1, i + 3), 16));
                        i += 2;
                    }
                    case 'u' -> {
                        text.append((char) Integer.parseInt(s.substring(i + 1, i + 5), 16));
                        i += 4;
                    }
                    default -> text.append(next);
                }
            } else {
                text.append(c);
            }
        }
        return text.toString();
    }
}

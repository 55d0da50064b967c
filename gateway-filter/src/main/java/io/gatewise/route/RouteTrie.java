package io.gatewise.route;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The routes by the decoded segments of their prefixes: finds the route whose prefix is the
 * longest run of whole leading segments of a path. A lookup reads the path once, one hash probe
 * per segment, and allocates nothing, so its cost grows with the path, not with the number of
 * routes. Built once per snapshot, immutable after.
 *
 * <p>A prefix's segments are decoded as a request path's are ({@link RoutePaths#segmentsDecoded}):
 * an encoded slash stays {@code %2F} inside its segment on both sides, so route
 * {@code /a%2Fb/} matches {@code /a%2Fb/x} and not {@code /a/b/x}. No decoded segment of a
 * prefix is empty, so an empty segment of a path ({@code /api//x}) ends the walk.
 */
final class RouteTrie {
    private final Node root;

    private RouteTrie(Node root) {
        this.root = root;
    }

    /**
     * @param routes the routes, in configured order; of two whose prefixes decode alike, the later
     *     one is matched
     * @return their trie
     */
    static RouteTrie of(List<Route> routes) {
        Draft root = new Draft();
        for (Route route : routes) {
            String key = RoutePaths.segmentsDecoded(route.config().prefix());
            Draft node = root;
            int start = 1;
            while (start < key.length()) {
                int end = segmentEnd(key, start);
                node = node.children.computeIfAbsent(key.substring(start, end), segment -> new Draft());
                start = end + 1;
            }
            node.route = route;
        }
        return new RouteTrie(freeze(root));
    }

    /** Freezes children before parents without recursion: a prefix may have thousands of segments. */
    private static Node freeze(Draft root) {
        List<Draft> preorder = new ArrayList<>();
        Deque<Draft> pending = new ArrayDeque<>();
        pending.push(root);
        while (!pending.isEmpty()) {
            Draft draft = pending.pop();
            preorder.add(draft);
            draft.children.values().forEach(pending::push);
        }
        for (int i = preorder.size() - 1; i >= 0; i--) {
            Draft draft = preorder.get(i);
            draft.frozen = draft.children.isEmpty()
                    ? new Node(draft.route, Node.NO_KEYS, Node.NO_HASHES, Node.NO_CHILDREN)
                    : Node.of(draft.route, draft.children);
        }
        return root.frozen;
    }

    /**
     * @param decodedPath a path as {@link RoutePaths#segmentsDecoded} gives it, such as {@code /api/users}
     * @return the route with the longest prefix of whole segments of the path; the root route
     *     ({@code /}) if no other matches; null if none matches
     */
    Route match(String decodedPath) {
        Node node = root;
        Route longest = root.route;
        if (decodedPath.isEmpty() || decodedPath.charAt(0) != '/') {
            return longest;
        }
        int start = 1;
        while (start < decodedPath.length()) {
            int end = segmentEnd(decodedPath, start);
            node = end == start ? null : node.child(decodedPath, start, end);
            if (node == null) {
                break;
            }
            if (node.route != null) {
                longest = node.route;
            }
            start = end + 1;
        }
        return longest;
    }

    private static int segmentEnd(String path, int start) {
        int slash = path.indexOf('/', start);
        return slash < 0 ? path.length() : slash;
    }

    /** A node while the trie is built. */
    private static final class Draft {
        private final Map<String, Draft> children = new HashMap<>();
        private Route route;
        private Node frozen;
    }

    /**
     * A node of the built trie: its children in an open-addressed table, probed with the hash of a
     * region of the path, so looking a segment up needs no substring.
     */
    private static final class Node {
        static final String[] NO_KEYS = {};
        static final int[] NO_HASHES = {};
        static final Node[] NO_CHILDREN = {};

        final Route route;
        private final String[] keys;
        private final int[] hashes;
        private final Node[] children;

        private Node(Route route, String[] keys, int[] hashes, Node[] children) {
            this.route = route;
            this.keys = keys;
            this.hashes = hashes;
            this.children = children;
        }

        static Node of(Route route, Map<String, Draft> drafts) {
            // At most half full: a probe meets an empty slot within a step or two.
            int capacity = Integer.highestOneBit(drafts.size() * 2 - 1) << 1;
            String[] keys = new String[capacity];
            int[] hashes = new int[capacity];
            Node[] children = new Node[capacity];
            for (Map.Entry<String, Draft> entry : drafts.entrySet()) {
                int hash = entry.getKey().hashCode();
                int slot = spread(hash) & (capacity - 1);
                while (keys[slot] != null) {
                    slot = (slot + 1) & (capacity - 1);
                }
                keys[slot] = entry.getKey();
                hashes[slot] = hash;
                children[slot] = entry.getValue().frozen;
            }
            return new Node(route, keys, hashes, children);
        }

        /** @return the child for the segment {@code path[start, end)}, or null */
        Node child(String path, int start, int end) {
            if (keys.length == 0) {
                return null;
            }
            int hash = 0;
            for (int i = start; i < end; i++) {
                hash = 31 * hash + path.charAt(i);
            }
            int length = end - start;
            int mask = keys.length - 1;
            for (int slot = spread(hash) & mask; keys[slot] != null; slot = (slot + 1) & mask) {
                String key = keys[slot];
                if (hashes[slot] == hash && key.length() == length && path.regionMatches(start, key, 0, length)) {
                    return children[slot];
                }
            }
            return null;
        }

        private static int spread(int hash) {
            return hash ^ (hash >>> 16);
        }
    }
}

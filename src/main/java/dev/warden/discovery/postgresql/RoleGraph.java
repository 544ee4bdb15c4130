package dev.warden.discovery.postgresql;

import dev.warden.discovery.postgresql.PostgresCatalog.Membership;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Role memberships as a graph, member → role. For a role it answers which roles it reaches and how:
 * through a path of memberships that all inherit (it holds their privileges without doing anything),
 * through a path that all allow SET ROLE (it can become them, attributes such as SUPERUSER
 * included), and where it holds the ADMIN OPTION (it can grant the role to others). Several grants
 * of one membership (by different grantors, PostgreSQL 16+) count as one with the most permissive
 * options.
 */
final class RoleGraph {
    /** How {@code from} reaches a role: the shortest path of roles after {@code from}, and the options. */
    record Reach(List<Long> path, boolean inherits, boolean canSet, boolean admin, boolean directAdmin) {}

    private record Edge(long role, boolean admin, boolean inherit, boolean set) {}

    private final Map<Long, List<Edge>> edges = new HashMap<>();

    RoleGraph(List<Membership> memberships, Comparator<Long> order) {
        Map<Long, Map<Long, Edge>> merged = new HashMap<>();
        for (Membership m : memberships) {
            merged.computeIfAbsent(m.member(), k -> new LinkedHashMap<>())
                    .merge(
                            m.role(),
                            new Edge(m.role(), m.admin(), m.inherit(), m.set()),
                            (a, b) -> new Edge(
                                    a.role(), a.admin() || b.admin(), a.inherit() || b.inherit(), a.set() || b.set()));
        }
        merged.forEach((member, byRole) -> {
            List<Edge> list = new ArrayList<>(byRole.values());
            list.sort(Comparator.comparing(Edge::role, order));
            edges.put(member, list);
        });
    }

    /** Every role {@code from} is a member of, directly or not, with how it reaches it. */
    Map<Long, Reach> reach(long from) {
        Map<Long, List<Long>> any = search(from, e -> true);
        Set<Long> inherited = search(from, Edge::inherit).keySet();
        Set<Long> settable = search(from, Edge::set).keySet();
        // ADMIN OPTION on a role counts for the member and for every role whose privileges it inherits.
        Set<Long> holders = new HashSet<>(inherited);
        holders.add(from);
        Map<Long, Reach> out = new LinkedHashMap<>();
        for (Map.Entry<Long, List<Long>> e : any.entrySet()) {
            long role = e.getKey();
            boolean admin = false;
            boolean directAdmin = false;
            for (long holder : holders) {
                for (Edge edge : edges.getOrDefault(holder, List.of())) {
                    if (edge.role() == role && edge.admin()) {
                        admin = true;
                        directAdmin |= holder == from;
                    }
                }
            }
            out.put(
                    role,
                    new Reach(e.getValue(), inherited.contains(role), settable.contains(role), admin, directAdmin));
        }
        return out;
    }

    /** Breadth-first over edges that pass {@code follow}: each reached role with its shortest path. */
    private Map<Long, List<Long>> search(long from, Predicate<Edge> follow) {
        Map<Long, List<Long>> paths = new LinkedHashMap<>();
        Deque<Long> queue = new ArrayDeque<>();
        queue.add(from);
        paths.put(from, List.of());
        while (!queue.isEmpty()) {
            long at = queue.poll();
            for (Edge e : edges.getOrDefault(at, List.of())) {
                if (follow.test(e) && !paths.containsKey(e.role())) {
                    List<Long> path = new ArrayList<>(paths.get(at));
                    path.add(e.role());
                    paths.put(e.role(), List.copyOf(path));
                    queue.add(e.role());
                }
            }
        }
        paths.remove(from);
        return paths;
    }
}

"""Crossing reduction for a proper layered graph (every edge joins adjacent layers).

The core is the scheme of Gansner, Koutsofios, North & Vo ("A Technique for Drawing Directed
Graphs", 1993), as Graphviz ``dot`` implements it:

* each connected component is ordered on its own and the components are stacked, so no two
  components cross;
* initial orders come from breadth-first searches (over both edge directions) started at the
  sources, or at the sinks;
* a sweep visits the layers downwards (or upwards) and sorts each layer by the weighted median
  of its neighbours' positions in the layer just visited (vertices with no such neighbour keep
  their slots), then transposes adjacent vertices while that removes crossings with both
  neighbouring layers;
* the best ordering seen is kept; the search stops after a number of sweeps without a real
  improvement.

Large graphs (more than ``_SMALL`` vertices plus edges, dummies included) get dot's budget: a
few sweeps from each of the two initial orders, then up to ``_MAX_ITER`` from the better one.
Small graphs, where time is cheap, get a full search from each of four initial orders (roots
visited in order and in reverse order) and then sifting (Matuszewski, Schoenfeld & Molitor,
1999), which moves every vertex to its best slot in its layer and so fixes what swaps of
neighbours cannot.

Crossings between two layers are counted as inversions (Barth, Juenger & Mutzel, 2004): with
edges sorted by their upper endpoint, they are the pairs out of order in their lower endpoints.
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import deque

# Sweeps per initial order before the better one continues (large graphs); at most _MAX_ITER
# sweeps after that; stop after _MIN_QUIT sweeps that don't beat the best count by more than a
# factor _CONVERGENCE.
_PRE_ITER = 4
_MAX_ITER = 24
_MIN_QUIT = 8
_CONVERGENCE = 0.995
# Rounds of a transposition in which swaps that leave the count unchanged are taken (they
# perturb ties); later rounds only take strict gains, which bounds the work.
_TIE_ROUNDS = 3
# Graphs with at most this many vertices plus edges (dummies included) get the thorough
# treatment.
_SMALL = 2000
_SIFT_ROUNDS = 2  # at most; sifting stops early once a round gains nothing
# Sweeps allowed per component: _WORK / (vertices + edges), at least _MIN_SWEEPS.  Graphs
# bloated by dummies (long edges, e.g. after breaking the cycles of a dense cyclic graph) thus
# get fewer sweeps instead of taking minutes; computation graphs of thousands of nodes are
# unaffected.
_WORK = 600_000
_MIN_SWEEPS = 2
# Hard bounds, so that ordering always ends promptly whatever the graph (results stay
# deterministic: the budget counts work, not time).  A transposition stops after
# _TRANSPOSE_ROUNDS rounds.  All passes over a layer (median sorts, transpositions, sifting)
# draw on one budget of vertex visits, _BUDGET * effort (at least _MIN_BUDGET), shared out
# among the components by size; a pass that finds it spent doesn't start, and a search that
# runs out keeps the best ordering it has seen.  A sifting pass over a layer of k vertices costs
# k * k.  Computation graphs of 5,000 nodes need under a million at full effort.
_TRANSPOSE_ROUNDS = 40
_BUDGET = 1_500_000
_MIN_BUDGET = 300_000

Layers = list[list[int]]


def _components(count: int, up: list[list[int]]) -> list[list[int]]:
    """Connected components (union-find over the upward edges), each sorted, ordered by first id."""
    parent = list(range(count))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for v in range(count):
        for w in up[v]:
            a, b = find(v), find(w)
            if a != b:
                parent[max(a, b)] = min(a, b)
    groups: dict[int, list[int]] = {}
    for v in range(count):
        groups.setdefault(find(v), []).append(v)
    return list(groups.values())


def _bfs_order(comp: list[int], layer_of: list[int], up: list[list[int]], down: list[list[int]],
               base: int, depth: int, from_sinks: bool) -> Layers:
    """Initial layers: vertices in breadth-first order over both edge directions, starting from
    every source (or sink) in turn; neighbours are appended to the layers as they are reached."""
    layers: Layers = [[] for _ in range(depth)]
    seen = [False] * len(layer_of)
    for root in comp:
        if seen[root] or (down[root] if from_sinks else up[root]):
            continue
        seen[root] = True
        queue = deque([root])
        while queue:
            v = queue.popleft()
            layers[layer_of[v] - base].append(v)
            first, second = (up[v], down[v]) if from_sinks else (down[v], up[v])
            for w in first + second:
                if not seen[w]:
                    seen[w] = True
                    queue.append(w)
    return layers


def _median(ps: list[int]) -> float:
    """Weighted median of sorted positions: for an even count it leans towards the side where
    the neighbours are packed more tightly."""
    m = len(ps) // 2
    if len(ps) % 2:
        return float(ps[m])
    if len(ps) == 2:
        return (ps[0] + ps[1]) / 2.0
    left = ps[m - 1] - ps[0]
    right = ps[-1] - ps[m]
    if left == right:
        return (ps[m - 1] + ps[m]) / 2.0
    return (ps[m - 1] * right + ps[m] * left) / (left + right)


def _reorder(layer: list[int], nbrs: list[list[int]], pos: list[int], reverse: bool) -> None:
    """Sort ``layer`` in place by the median position of ``nbrs``; vertices without neighbours
    keep their slots.

    Plain sweeps sort stably.  Reverse sweeps shake up ties so the search can leave a plateau:
    equal keys are taken in reverse order and each run of them is then rotated by the layer's
    length (as a bubble sort that also swaps equal keys would leave them after that many
    passes over a sorted layer).
    """
    slots = [i for i, v in enumerate(layer) if nbrs[v]]
    m = len(slots)
    if m < 2:
        return
    keyed = []
    for k, i in enumerate(slots):
        v = layer[i]
        ns = nbrs[v]
        key = float(pos[ns[0]]) if len(ns) == 1 else _median(sorted([pos[w] for w in ns]))
        keyed.append((key, -k if reverse else k, v))
    keyed.sort()
    seq = [v for _, _, v in keyed]
    if reverse:
        total = len(layer)
        i = 0
        while i < m:
            j = i + 1
            while j < m and keyed[j][0] == keyed[i][0]:
                j += 1
            if j - i > 1:
                k = total % (j - i)
                seq[i:j] = seq[i + k:j] + seq[i:i + k]
            i = j
    for i, v in zip(slots, seq):
        layer[i] = v
        pos[v] = i


def _pair_crossings(upper: list[int], pos: list[int], down: list[list[int]]) -> int:
    """Crossings between ``upper`` and the next layer: inversions of the lower endpoints."""
    acc: list[int] = []
    inv = 0
    for u in upper:
        ds = down[u]
        if len(ds) == 1:
            x = pos[ds[0]]
            k = bisect_right(acc, x)
            inv += len(acc) - k
            acc.insert(k, x)
            continue
        for x in sorted([pos[w] for w in ds]):
            k = bisect_right(acc, x)
            inv += len(acc) - k
            acc.insert(k, x)
    return inv


def _position_costs(a: list[int], b: list[int]) -> tuple[int, int]:
    """Crossings among the edges from two adjacent vertices to positions ``a`` and ``b`` in a
    neighbouring layer: with ``a``'s owner first (pairs x > y), and with ``b``'s owner first
    (pairs x < y).  Small lists compare all pairs; large ones count by binary search."""
    if len(a) * len(b) <= 16:
        before = after = 0
        for x in a:
            for y in b:
                if x > y:
                    before += 1
                elif x < y:
                    after += 1
        return before, after
    sb = sorted(b)
    before = sum(bisect_left(sb, x) for x in a)
    after = sum(len(sb) - bisect_right(sb, x) for x in a)
    return before, after


def _costs(a: list[int], b: list[int], pos: list[int]) -> tuple[int, int]:
    """:func:`_position_costs` for lists of vertices."""
    return _position_costs([pos[x] for x in a], [pos[y] for y in b])


def _transpose_layer(layer: list[int], pos: list[int], up: list[list[int]],
                     down: list[list[int]], up1: list[int], down1: list[int],
                     reverse: bool) -> tuple[int, bool]:
    """One pass of adjacent swaps over ``layer``; returns (crossings removed, anything swapped).

    ``up1[v]``/``down1[v]`` is v's only upper/lower neighbour, or -1: most vertices (all
    dummies) have one, and comparing two of them needs no loops.
    """
    gain = 0
    swapped = False
    for j in range(len(layer) - 1):
        v, w = layer[j], layer[j + 1]
        keep = flip = 0  # crossings with v first / with w first
        a, b = up1[v], up1[w]
        if a >= 0:
            pa = pos[a]
            if b >= 0:
                pb = pos[b]
                if pa > pb:
                    keep = 1
                elif pa < pb:
                    flip = 1
            else:
                for x in up[w]:
                    px = pos[x]
                    if pa > px:
                        keep += 1
                    elif pa < px:
                        flip += 1
        elif b >= 0:
            pb = pos[b]
            for x in up[v]:
                px = pos[x]
                if px > pb:
                    keep += 1
                elif px < pb:
                    flip += 1
        elif up[v] and up[w]:
            keep, flip = _costs(up[v], up[w], pos)
        a, b = down1[v], down1[w]
        if a >= 0:
            pa = pos[a]
            if b >= 0:
                pb = pos[b]
                if pa > pb:
                    keep += 1
                elif pa < pb:
                    flip += 1
            else:
                for x in down[w]:
                    px = pos[x]
                    if pa > px:
                        keep += 1
                    elif pa < px:
                        flip += 1
        elif b >= 0:
            pb = pos[b]
            for x in down[v]:
                px = pos[x]
                if px > pb:
                    keep += 1
                elif px < pb:
                    flip += 1
        elif down[v] and down[w]:
            k, f = _costs(down[v], down[w], pos)
            keep += k
            flip += f
        if flip < keep or (reverse and keep and flip == keep):
            layer[j], layer[j + 1] = w, v
            pos[v], pos[w] = j + 1, j
            gain += keep - flip
            swapped = True
    return gain, swapped


def _sift_layer(layer: list[int], pos: list[int], up: list[list[int]],
                down: list[list[int]]) -> int:
    """Move every vertex of ``layer`` (most edges first) to the slot with the fewest crossings.

    With vertex ``v`` removed, placing it before the k-th remaining vertex ``w`` costs
    ``sum_{w before} c(w, v) + sum_{w after} c(v, w)`` where ``c(x, y)`` counts crossings of
    ``x``'s and ``y``'s edges with ``x`` first; scanning ``k`` upwards changes it by
    ``c(w, v) - c(v, w)`` per step.  Returns the crossings removed.
    """
    gain = 0
    # Positions in the neighbouring layers, which stay fixed while this layer is sifted.
    ups = {v: [pos[a] for a in up[v]] for v in layer}
    downs = {v: [pos[a] for a in down[v]] for v in layer}
    for v in sorted(layer, key=lambda x: -(len(ups[x]) + len(downs[x]))):
        i = pos[v]
        uv, dv = ups[v], downs[v]
        others = layer[:i] + layer[i + 1:]
        run = best = here = 0
        best_k = 0
        for k, w in enumerate(others):
            before = after = 0  # crossings with v before w / after w
            uw, dw = ups[w], downs[w]
            if uv and uw:
                before, after = _position_costs(uv, uw)
            if dv and dw:
                b, a = _position_costs(dv, dw)
                before += b
                after += a
            run += after - before
            if k + 1 == i:
                here = run
            if run < best or (run == best and abs(k + 1 - i) < abs(best_k - i)):
                best, best_k = run, k + 1
        if best < here:
            gain += here - best
            others.insert(best_k, v)
            layer[:] = others
            for j, w in enumerate(layer):
                pos[w] = j
    return gain


class _Search:
    """Ordering state of the component being ordered, plus bookkeeping that skips repeated work.

    Every change of a layer gives it a fresh version stamp.  Crossings between two layers are
    cached under the pair of stamps, and a transposition pass over a layer is skipped when the
    layer and both neighbours are unchanged since a pass over it that swapped nothing (passes
    are deterministic, so it would swap nothing again).
    """

    def __init__(self, up: list[list[int]], down: list[list[int]], pos: list[int],
                 size: int) -> None:
        self.up, self.down, self.pos = up, down, pos
        # Every component may sweep this often: a sweep costs about its size, so all
        # components together cost at most about _WORK vertex and edge visits.
        self.allowance = max(_MIN_SWEEPS, _WORK // max(size, 1))
        self.sweeps_left = self.allowance
        self.work_left = 0  # vertex visits left for the component being ordered
        self.up1 = [ns[0] if len(ns) == 1 else -1 for ns in up]
        self.down1 = [ns[0] if len(ns) == 1 else -1 for ns in down]
        self.layers: Layers = []
        self.stamp: list[int] = []
        self.clock = 0
        self.pair_key: list[tuple[int, int]] = []
        self.pair_count: list[int] = []
        self.quiet: list[tuple[int, int, int, bool] | None] = []

    def load(self, layers: Layers) -> None:
        """Adopt ``layers`` (copied) as the current ordering."""
        self.layers = [list(lay) for lay in layers]
        depth = len(layers)
        self.stamp = list(range(self.clock, self.clock + depth))
        self.clock += depth
        self.pair_key = [(-1, -1)] * depth
        self.pair_count = [0] * depth
        self.quiet = [None] * depth
        pos = self.pos
        for lay in self.layers:
            for i, v in enumerate(lay):
                pos[v] = i

    def touch(self, r: int) -> None:
        """Record that layer ``r`` changed."""
        self.stamp[r] = self.clock
        self.clock += 1

    def total(self) -> int:
        """Crossings of the current ordering (recounting only changed layer pairs)."""
        layers, stamp = self.layers, self.stamp
        total = 0
        for r in range(len(layers) - 1):
            key = (stamp[r], stamp[r + 1])
            if self.pair_key[r] != key:
                self.pair_key[r] = key
                self.pair_count[r] = _pair_crossings(layers[r], self.pos, self.down)
            total += self.pair_count[r]
        return total

    def reorder(self, r: int, nbrs: list[list[int]], reverse: bool) -> None:
        """Median-sort layer ``r`` against ``nbrs`` (see :func:`_reorder`)."""
        lay = self.layers[r]
        self.work_left -= len(lay)
        before = list(lay)
        _reorder(lay, nbrs, self.pos, reverse)
        if lay != before:
            self.touch(r)

    def transpose(self, reverse: bool) -> None:
        """Adjacent swaps, revisiting layers next to a change, until a round gains nothing (or
        after ``_TRANSPOSE_ROUNDS`` rounds, or when the work budget is spent).

        With ``reverse``, the first ``_TIE_ROUNDS`` rounds also make swaps that leave the count
        unchanged (they don't prolong the loop)."""
        layers, stamp, quiet = self.layers, self.stamp, self.quiet
        count = len(layers)
        candidate = [True] * count
        rounds = 0
        while rounds < _TRANSPOSE_ROUNDS:
            gain = 0
            rounds += 1
            ties = reverse and rounds <= _TIE_ROUNDS
            for r in range(count):
                if not candidate[r]:
                    continue
                if self.work_left <= 0:
                    return
                candidate[r] = False
                key = (stamp[r - 1] if r else -1, stamp[r],
                       stamp[r + 1] if r + 1 < count else -1)
                q = quiet[r]
                if q is not None and q[:3] == key and (q[3] or not ties):
                    continue
                self.work_left -= len(layers[r])
                g, swapped = _transpose_layer(layers[r], self.pos, self.up, self.down,
                                              self.up1, self.down1, ties)
                if swapped:
                    self.touch(r)
                    gain += g
                    candidate[r] = True
                    if r > 0:
                        candidate[r - 1] = True
                    if r + 1 < count:
                        candidate[r + 1] = True
                else:
                    quiet[r] = (*key, ties)
            if gain < 1:
                return

    def sweep(self, it: int) -> None:
        """Median sweep number ``it``: even ones go down, odd ones up.  Two of every four are
        "reverse" sweeps that shake up ties; their transposition takes strict gains only, the
        others' also take even swaps."""
        self.sweeps_left -= 1
        reverse = it % 4 < 2
        if it % 2 == 0:
            for r in range(1, len(self.layers)):
                self.reorder(r, self.up, reverse)
        else:
            for r in range(len(self.layers) - 2, -1, -1):
                self.reorder(r, self.down, reverse)
        self.transpose(not reverse)

    def sift(self) -> None:
        """Sifting rounds (down and up over the layers) until one gains nothing."""
        for _ in range(_SIFT_ROUNDS):
            gain = 0
            order = list(range(len(self.layers)))
            for r in order + order[::-1]:
                cost = len(self.layers[r]) ** 2
                if cost > self.work_left:
                    continue
                self.work_left -= cost
                g = _sift_layer(self.layers[r], self.pos, self.up, self.down)
                if g:
                    self.touch(r)
                    gain += g
            if not gain:
                return


def _minimise(starts: list[Layers], search: _Search, sift: bool) -> tuple[Layers, int]:
    """Improve each initial ordering briefly, continue from the best one; return the best
    ordering seen and its crossings."""
    best: Layers = []
    best_c = -1
    cur = 0
    for phase in range(len(starts) + 1):
        if phase < len(starts):
            search.load(starts[phase])
            if search.total():
                search.transpose(False)
            cur = search.total()
            if best_c < 0 or cur <= best_c:
                best, best_c = [list(lay) for lay in search.layers], cur
            budget = _PRE_ITER if len(starts) > 1 else _MAX_ITER
        elif len(starts) > 1:
            if cur > best_c:
                search.load(best)
            cur = best_c
            budget = _MAX_ITER
        else:
            break
        trying = 0
        for it in range(budget):
            if (trying >= _MIN_QUIT or cur == 0 or search.sweeps_left <= 0
                    or search.work_left <= 0):
                break
            trying += 1
            search.sweep(it)
            cur = search.total()
            if cur <= best_c:
                if cur < _CONVERGENCE * best_c:
                    trying = 0
                best, best_c = [list(lay) for lay in search.layers], cur
        if cur == 0:
            break
    search.load(best)
    if best_c:
        search.transpose(False)
        if sift:
            search.sift()
        best_c = search.total()
    return search.layers, best_c


def order_layers(layer_of: list[int], up: list[list[int]], down: list[list[int]],
                 effort: float = 1.0) -> Layers:
    """Order every layer of a proper layered graph to reduce edge crossings.

    ``layer_of[v]`` is the layer of vertex ``v``, ``up[v]``/``down[v]`` its neighbours in the
    previous/next layer.  Returns the layers, each a list of vertex ids from first to last.
    ``effort`` below 1 trades crossings for time (fewer sweeps, one search), for interactive use.
    """
    count = len(layer_of)
    depth = max(layer_of) + 1 if count else 0
    result: Layers = [[] for _ in range(depth)]
    size = count + sum(len(ds) for ds in down)
    search = _Search(up, down, [0] * count, size)
    search.allowance = max(_MIN_SWEEPS, int(search.allowance * min(1.0, effort)))
    budget = max(_MIN_BUDGET, int(_BUDGET * min(1.0, effort)))
    small = size <= _SMALL and effort >= 1.0
    for comp in _components(count, up):
        search.sweeps_left = search.allowance
        comp_size = len(comp) + sum(len(down[v]) for v in comp)
        search.work_left = budget * comp_size // max(size, 1) + 2 * comp_size
        base = min(layer_of[v] for v in comp)
        span = max(layer_of[v] for v in comp) - base + 1

        def initial(roots: list[int], from_sinks: bool) -> Layers:
            return _bfs_order(roots, layer_of, up, down, base, span, from_sinks)

        layers = initial(comp, False)
        if len(comp) > 2 and span > 1:
            starts = [layers, initial(comp, True)]
            if small:
                starts += [initial(comp[::-1], False), initial(comp[::-1], True)]
                runs = [_minimise([start], search, True) for start in starts]
                layers = min(runs, key=lambda run: run[1])[0]
            else:
                layers = _minimise(starts, search, False)[0]
        for r, lay in enumerate(layers):
            result[base + r].extend(lay)
    return result

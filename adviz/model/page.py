"""One self-contained HTML page that plays a gradient call's backward (and forward) pass.

The page is written as text from the graph and its layout, with no Qt: an inline SVG of the
picture (rounded boxes coloured by kind, polylines with arrowheads, label texts, a ``<title>``
on each node and edge for hover), the texts of every step precomputed into a compact JSON, and
a small hand-written script that applies a step's record to the SVG. Nothing is loaded from the
network; the page opens from ``file://``. ``#step=N`` or ``#step=end`` opens that step.
"""
from __future__ import annotations

from dataclasses import asdict

import json
import math
from html import escape
from pathlib import Path
from typing import Iterable, Sequence

from ..graph import Graph, Layout
from ..graph.model import KIND_LABELS, LITERAL, OP, TARGET, Node
from ..graph.texts import fan_out_sum, forward_words, product_text
from ..graph.values import format_value
from ..graph.wording import BADGE_WORDS
from .themes import THEME_BY_NAME

MARGIN = 40.0
TITLE_PX, SMALL_PX = 13.0, 11.0
PARALLEL = 46.0          # parallel edges between one pair of nodes sit this far apart, as on the canvas



def theme_colours(name: str) -> dict[str, object]:
    """The colours of the theme a page is drawn in: the canvas's own (:mod:`adviz.model.themes`)."""
    return asdict(THEME_BY_NAME.get(name, THEME_BY_NAME["light"]))


def _width(text: str, px: float) -> float:
    """A text's width without a font engine: wide enough for the sans-serif fonts browsers pick."""
    return sum(px * (0.62 if ord(c) < 128 else 0.8) for c in text)


def _short(label: str) -> str:
    return label if len(label) <= 20 else label[:19] + "…"


def node_size(node: Node) -> tuple[float, float]:
    """The body of ``node`` in SVG units: the label above its value, as on the canvas."""
    label = _short(node.label)
    if node.kind == LITERAL:
        return max(34.0, _width(label, TITLE_PX) + 18), TITLE_PX + 14
    w = max(_width(label, TITLE_PX), _width("= " + node.value_text, SMALL_PX)) + 22
    w = max(w, 56.0) + (10 if node.kind in (OP, TARGET) else 0)
    return w, TITLE_PX + SMALL_PX + 20


def _boundary(centre: tuple[float, float], size: tuple[float, float], toward: tuple[float, float]):
    """Where the line from ``centre`` toward ``toward`` leaves a box of ``size`` (plus a gap for the arrow)."""
    dx, dy = toward[0] - centre[0], toward[1] - centre[1]
    if dx == 0 and dy == 0:
        return centre
    hw, hh = size[0] / 2 + 3, size[1] / 2 + 3
    s = min(hw / abs(dx) if dx else math.inf, hh / abs(dy) if dy else math.inf)
    return centre[0] + dx * s, centre[1] + dy * s


def _badge(node: Node) -> tuple[str, str]:
    """What the badge over a source says, and its colour role (as the canvas's badge)."""
    if node.gradient_text in ("None", "0"):
        words = BADGE_WORDS.get(node.cause.code, "") if node.cause is not None else ""
        role = "badge_none" if node.gradient_text == "None" else "badge_zero"
        return f"gradient: {node.gradient_text}" + (f" · {words}" if words else ""), role
    return ("∇ " + node.gradient_text if node.gradient_text else ""), "badge_grad"


def _f(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".")


def _node_tip(graph: Graph, n: Node) -> str:
    lines = [f"{n.label} — {KIND_LABELS.get(n.kind, n.kind)}"]
    if n.formula and n.formula != n.label:
        lines.append(f"{n.name + ' = ' if n.name else ''}{n.formula}")
    lines.append(f"value: {format_value(n.value, max_items=12)}")
    if n.is_source:
        lines.append(f"gradient: {format_value(n.gradient, max_items=12) if n.gradient is not None else n.gradient_text}")
    if n.cause is not None:
        lines += [f"Why {n.gradient_text}: {n.cause.text}", f"Fix: {n.cause.fix}"]
    elif not n.recorded and n.reason:
        lines.append(f"not recorded: {n.reason}")
    return "\n".join(lines)


def _edge_tip(graph: Graph, eid: str) -> str:
    e = graph.edges[eid]
    lines = [f"{graph.nodes[e.source].label} → {graph.nodes[e.target].label}"]
    if e.partial_formula:
        lines.append(e.partial_formula)
    if e.partial_value is not None:
        lines.append(f"local partial: {format_value(e.partial_value, max_items=12)}")
    if e.contribution is not None:
        lines.append(f"contribution: {format_value(e.contribution, max_items=12)}")
    if not e.recorded:
        lines.append("not recorded by the tape")
    return "\n".join(lines)


def svg_picture(graph: Graph, layout: Layout, theme: str = "light", prefix: str = "") -> str:
    """The picture as inline SVG text: nodes ``#{prefix}n{i}`` and edges ``#{prefix}e{i}`` in the
    order of ``graph.nodes`` and ``graph.edges``, each with a ``<title>`` for hover. ``prefix``
    keeps the ids of several pictures on one page apart."""
    t = theme_colours(theme)
    nodes = list(graph.nodes.values())
    sizes = {n.id: node_size(n) for n in nodes}
    pos = {n.id: tuple(layout.positions.get(n.id, (0.0, 0.0))) for n in nodes}
    xs, ys = [], []
    for n in nodes:
        (x, y), (w, h) = pos[n.id], sizes[n.id]
        xs += [x - max(w, 150) / 2, x + max(w, 150) / 2]
        ys += [y - h / 2 - 24, y + h / 2 + 2 * SMALL_PX + 16]
    for route in layout.routes.values():
        xs += [p[0] for p in route]
        ys += [p[1] for p in route]
    x0, y0 = min(xs or [0]) - MARGIN, min(ys or [0]) - MARGIN
    width, height = max(xs or [200]) + MARGIN - x0, max(ys or [100]) + MARGIN - y0
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" id="{prefix}pic" viewBox="{_f(x0)} {_f(y0)} {_f(width)} {_f(height)}" '
           f'width="{_f(width)}" height="{_f(height)}" font-family="system-ui, sans-serif">',
           f'<defs><marker id="{prefix}ah" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="10" markerHeight="10" markerUnits="userSpaceOnUse" '
           'orient="auto-start-reverse"><path d="M0,0L10,5L0,10z" fill="context-stroke"/></marker></defs>',
           f'<g class="edges" id="{prefix}edges">']
    nix = {nid: i for i, nid in enumerate(graph.nodes)}
    pairs: dict[tuple[str, str], int] = {}
    for e in graph.edges.values():
        pairs[(e.source, e.target)] = pairs.get((e.source, e.target), 0) + 1
    seen: dict[tuple[str, str], int] = {}
    labels = []
    for i, e in enumerate(graph.edges.values()):
        key = (e.source, e.target)
        k, count = seen.get(key, 0), pairs[key]
        seen[key] = k + 1
        route = list(layout.routes.get(key, (pos[e.source], pos[e.target])))
        if count > 1:       # parallel edges bow apart through a shifted middle point
            (ax, ay), (bx, by) = pos[e.source], pos[e.target]
            length = math.hypot(bx - ax, by - ay) or 1.0
            off = (k - (count - 1) / 2) * PARALLEL
            route = [pos[e.source], ((ax + bx) / 2 - (by - ay) / length * off, (ay + by) / 2 + (bx - ax) / length * off),
                     pos[e.target]]
        points = [tuple(p) for p in route]
        points[0] = _boundary(pos[e.source], sizes[e.source], points[1])
        points[-1] = _boundary(pos[e.target], sizes[e.target], points[-2])
        mid = _midpoint(points)
        cls = "e" + ("" if e.recorded else " off")
        # data-t: the target node's index, for the forward pass's incoming edges
        out.append(f'<g class="{cls}" id="{prefix}e{i}" data-t="{nix[e.target]}"><title>{escape(_edge_tip(graph, e.id))}</title>'
                   f'<polyline points="{" ".join(_f(x) + "," + _f(y) for x, y in points)}" marker-end="url(#{prefix}ah)"/></g>')
        labels.append(f'<text class="pl" id="{prefix}p{i}" x="{_f(mid[0])}" y="{_f(mid[1] - 6)}" text-anchor="middle"></text>')
    out.append(f'</g><g class="nodes" id="{prefix}nodes">')
    for i, n in enumerate(nodes):
        (x, y), (w, h) = pos[n.id], sizes[n.id]
        fill, border = t["fills"].get(n.kind, "#eee"), t["borders"].get(n.kind, "#888")  # type: ignore[union-attr]
        cls = "n" + ("" if n.recorded else " off") + (" src" if n.is_source else "")
        parts = [f'<g class="{cls}" id="{prefix}n{i}" transform="translate({_f(x)},{_f(y)})">',
                 f"<title>{escape(_node_tip(graph, n))}</title>",
                 f'<rect class="body" x="{_f(-w / 2)}" y="{_f(-h / 2)}" width="{_f(w)}" height="{_f(h)}" rx="8" '
                 f'fill="{fill}" stroke="{border}"/>']
        if n.kind == LITERAL:
            parts.append(f'<text class="lb" y="{_f(TITLE_PX / 2 - 1)}" text-anchor="middle">{escape(_short(n.label))}</text>')
        else:
            parts.append(f'<text class="lb" y="{_f(-h / 2 + TITLE_PX + 4)}" text-anchor="middle">{escape(_short(n.label))}</text>')
            parts.append(f'<text class="v" y="{_f(h / 2 - 7)}" text-anchor="middle">= {escape(n.value_text)}</text>')
        parts.append(f'<text class="adj" y="{_f(h / 2 + SMALL_PX + 6)}" text-anchor="middle"></text>')
        badge, role = _badge(n)
        if n.is_source and badge:
            bw = _width(badge, SMALL_PX) + 12
            parts.append(f'<g class="badge" transform="translate({_f(w / 2)},{_f(-h / 2 - 12)})">'
                         f'<rect x="{_f(-bw / 2)}" y="-9" width="{_f(bw)}" height="18" rx="9" fill="{t[role]}"/>'
                         f'<text y="4" text-anchor="middle">{escape(badge)}</text></g>')
        parts.append("</g>")
        out.append("".join(parts))
    out.append(f'</g><g class="labels" id="{prefix}labels">')
    out += labels
    out.append("</g></svg>")
    return "\n".join(out)


def _midpoint(points: Sequence[tuple[float, float]]) -> tuple[float, float]:
    """The point halfway along a polyline."""
    lengths = [math.hypot(b[0] - a[0], b[1] - a[1]) for a, b in zip(points, points[1:])]
    half = sum(lengths) / 2
    for (a, b), d in zip(zip(points, points[1:]), lengths):
        if half <= d and d:
            s = half / d
            return a[0] + (b[0] - a[0]) * s, a[1] + (b[1] - a[1]) * s
        half -= d
    return points[-1]


def steps_data(graph: Graph) -> dict:
    """Every step's texts, by node and edge index: what the script applies to the SVG.

    Backward record: ``n`` the node whose adjoint flows back, ``e`` the edges it flows along with
    their products ``p``, ``a`` the new adjoint texts, ``s`` the fan-out sums, ``w`` and ``c`` the
    caption (words and chain-rule lines). Earlier steps' edges stay done with their products. A
    source's badge shows from step ``b`` on (the step its gradient is complete; -1 never).
    """
    node_ids = list(graph.nodes)
    nix = {nid: i for i, nid in enumerate(node_ids)}
    eix = {eid: i for i, eid in enumerate(graph.edges)}
    final = {nid: k for k, st in enumerate(graph.backward) for nid in st.adjoints}
    badges = []
    for n in graph.nodes.values():
        if not n.is_source or not _badge(n)[0] or graph.failure is not None:
            badges.append(-1)
        elif n.gradient_text in ("None", "0"):
            badges.append(0)          # a None or 0 badge explains the tape: it always shows
        else:
            badges.append(final.get(n.id, 0))
    back = []
    for st in graph.backward:
        record: dict = {"n": nix[st.node], "w": st.words, "c": list(st.chain)}
        if st.edges:
            record["e"] = [eix[e] for e in st.edges]
            record["p"] = [product_text(graph, st, e) for e in st.edges]
        if st.adjoints:
            record["a"] = {str(nix[k]): format_value(v) for k, v in st.adjoints.items()}
        sums = {str(nix[k]): fan_out_sum(graph, st, k) for k in st.accumulated if k in st.adjoints}
        if sums:
            record["s"] = sums
        back.append(record)
    fwd = [{"n": nix[st.node], "w": st.words or forward_words(graph.nodes[st.node]), "c": list(st.chain)}
           for st in graph.forward]
    return {"order": [n.order for n in graph.nodes.values()], "b": badges, "back": back, "fwd": fwd,
            "title": graph.title, "error": graph.error}


def _json_for_script(data: object) -> str:
    # Inside <script>, "</" would end the element: JSON allows "<\/" for it.
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")


STYLE = """
*{box-sizing:border-box}
body{margin:0;background:%(background)s;color:%(text)s;font:14px system-ui,sans-serif}
header{padding:10px 16px 0;font-weight:600;font-size:16px}
.bar{display:flex;flex-wrap:wrap;gap:6px;align-items:center;padding:8px 16px;position:sticky;top:0;background:%(background)s;z-index:1}
.bar button,.bar select{font:inherit;padding:3px 9px;border:1px solid %(muted)s;border-radius:6px;background:transparent;color:inherit;cursor:pointer}
.bar input[type=range]{flex:1;min-width:120px}
.count{min-width:6em;color:%(muted)s;font-variant-numeric:tabular-nums}
.caption{padding:4px 16px 8px;min-height:4.2em}
.caption .w{margin-bottom:2px}
.caption .c{font-family:ui-monospace,monospace;font-size:13px;color:%(muted)s;white-space:pre-wrap}
.view{overflow:auto;padding:0 8px 16px}
.view.fit svg{width:100%%;height:auto;max-height:calc(100vh - 150px)}
svg text{fill:%(text)s}
.e polyline{fill:none;stroke:%(edge)s;stroke-width:1.4}
.e.off polyline{stroke:%(edge_dim)s;stroke-dasharray:5 4}
.e.done polyline{stroke:%(active)s;stroke-opacity:.55;stroke-width:2}
.e.act polyline{stroke:%(active)s;stroke-width:3.2}
.e.fw polyline{stroke:%(forward)s;stroke-width:3.2}
.pl{font-size:11px;paint-order:stroke;stroke:%(background)s;stroke-width:4px;stroke-linejoin:round}
.pl.act{fill:%(active)s;font-weight:600}
.n .body{stroke-width:1.6}
.n.off{opacity:.55}.n.off .body{stroke-dasharray:5 4}
.n.act .body{stroke:%(active)s;stroke-width:3.2}
.n.fw .body{stroke:%(forward)s;stroke-width:3.2}
.n .lb{font-size:13px;font-weight:600}
.n .v{font-size:11px;fill:%(muted)s}
.n.hid .v{visibility:hidden}
.n .adj{font-size:11px;fill:%(active)s;font-weight:600}
.badge text{font-size:11px;font-weight:600;fill:%(badge_text)s}
.badge{display:none}.badge.on{display:inline}
"""

# One player per section.player: its own bar, caption, picture and steps. A page with one player
# (data-single) takes the keys everywhere and follows the address (#step=N); on a page with several,
# the focused player takes the keys.
SCRIPT = r"""
(function(){
function player(R,single){
var D=JSON.parse(R.querySelector('script[type="application/json"]').textContent);
var S=R.querySelector('svg'),N=S.querySelectorAll('.nodes>.n'),E=S.querySelectorAll('.edges>.e'),
P=S.querySelectorAll('.labels>.pl');
function q(c){return R.querySelector('.'+c)}
var sc=q('scrub'),cap=q('caption'),cnt=q('count'),pb=q('play'),fw=q('fwd'),sp=q('speed'),v=q('view');
var i=0,timer=null;
function steps(){return fw.checked?D.fwd:D.back}
function cls(el,c,on){el.classList.toggle(c,!!on)}
function txt(el,s){el.textContent=s||''}
function show(k){
  var L=steps(),n=L.length;k=Math.max(0,Math.min(n-1,k|0));i=k;
  var j,m,r,adj={};
  for(j=0;j<E.length;j++){cls(E[j],'act',0);cls(E[j],'done',0);cls(E[j],'fw',0);txt(P[j],'');cls(P[j],'act',0)}
  for(j=0;j<N.length;j++){cls(N[j],'act',0);cls(N[j],'fw',0);cls(N[j],'hid',0)}
  if(fw.checked){
    var cur=L[k],o=D.order[cur.n];
    for(j=0;j<N.length;j++){cls(N[j],'hid',D.order[j]>o);txt(N[j].querySelector('.adj'),'');
      var b=N[j].querySelector('.badge');if(b)cls(b,'on',0)}
    cls(N[cur.n],'fw',1);
    for(j=0;j<E.length;j++)if(+E[j].dataset.t===cur.n)cls(E[j],'fw',1);
  }else{
    for(j=0;j<=k;j++){r=L[j];
      for(m in r.a||{})adj[m]=r.a[m];
      (r.e||[]).forEach(function(e,q){cls(E[e],j<k?'done':'act',1);txt(P[e],r.p[q]);cls(P[e],'act',j===k)})}
    r=L[k];
    for(m in r.s||{})adj[m]=r.s[m];
    for(j=0;j<N.length;j++){txt(N[j].querySelector('.adj'),adj[j]!==undefined?'\u2202 '+adj[j]:'');
      var b=N[j].querySelector('.badge');if(b)cls(b,'on',D.b[j]>=0&&D.b[j]<=k)}
    if(r.e||r.a)cls(N[r.n],'act',1);
  }
  if(!v.classList.contains('fit')&&L[k])try{N[L[k].n].scrollIntoView({block:'nearest',inline:'nearest'})}catch(x){}
  var c=L[k]||{w:'',c:[]};cap.innerHTML='';
  var w=document.createElement('div');w.className='w';w.textContent=c.w;cap.appendChild(w);
  (c.c||[]).forEach(function(s){var d=document.createElement('div');d.className='c';d.textContent=s;cap.appendChild(d)});
  sc.max=n-1;sc.value=k;txt(cnt,(fw.checked?'forward ':'step ')+k+' / '+(n-1));
  if(!single)return;
  var h='#step='+(k===n-1?'end':k)+(fw.checked?'&pass=forward':'');
  if(location.hash!==h)try{history.replaceState(null,'',h)}catch(x){}
}
function stop(){if(timer){clearInterval(timer);timer=null}pb.textContent='\u25B6 play'}
function play(){if(timer){stop();return}if(i>=steps().length-1)show(0);
  pb.textContent='\u275A\u275A pause';timer=setInterval(function(){if(i>=steps().length-1)stop();else show(i+1)},1200/(+sp.value))}
function fromHash(){var h=location.hash,m=/step=(end|\d+)/.exec(h);
  fw.checked=/pass=forward/.test(h);var n=steps().length;
  show(m?(m[1]==='end'?n-1:+m[1]):0)}
q('first').onclick=function(){stop();show(0)};
q('prev').onclick=function(){stop();show(i-1)};
q('next').onclick=function(){stop();show(i+1)};
q('last').onclick=function(){stop();show(steps().length-1)};
q('fit').onclick=function(){v.classList.toggle('fit')};
pb.onclick=play;sc.oninput=function(){stop();show(+sc.value)};
sp.onchange=function(){if(timer){stop();play()}};
fw.onchange=function(){stop();show(fw.checked?0:steps().length-1)};
function key(ev){
  if(ev.target.tagName==='SELECT'||ev.altKey||ev.ctrlKey||ev.metaKey)return;
  var k=ev.key;
  if(k==='ArrowRight'){stop();show(i+1)}else if(k==='ArrowLeft'){stop();show(i-1)}
  else if(k===' '||k==='Spacebar'){play()}else if(k==='Home'){stop();show(0)}
  else if(k==='End'){stop();show(steps().length-1)}else return;
  ev.preventDefault()}
if(single){document.addEventListener('keydown',key);window.addEventListener('hashchange',fromHash);fromHash()}
else{R.addEventListener('keydown',key);show(0)}
}
var A=document.querySelectorAll('section.player');
for(var k=0;k<A.length;k++)player(A[k],A[k].hasAttribute('data-single'));
})();
"""


def page_style(theme: str = "light") -> str:
    """The page's style sheet in ``theme``'s colours."""
    t = theme_colours(theme)
    return STYLE % {**{k: v for k, v in t.items() if isinstance(v, str)},
                    "badge_text": "#0b0c0f" if t["dark"] else "#ffffff"}


def player_html(graph: Graph, layout: Layout, theme: str = "light", prefix: str = "", single: bool = True) -> str:
    """One step player: its bar, caption, the picture and the steps' texts, in a ``section.player``.

    Ids carry ``prefix`` so that several players fit on one page; a ``single`` player takes the
    page's keys and follows its address, the others take the keys while they have the focus."""
    t = theme_colours(theme)
    error = f'<p style="padding:0 16px;color:{t["badge_none"]}">{escape(graph.error)}</p>' if graph.error else ""
    label = escape(graph.title or "the pass", quote=True)
    return "\n".join([
        f'<section class="player" id="{prefix}player" tabindex="0" aria-label="step player: {label}"'
        + (" data-single" if single else "") + ">",
        f'<div class="bar" id="{prefix}bar"><button class="first" id="{prefix}first" title="first step (Home)">|◀</button>'
        f'<button class="prev" id="{prefix}prev" title="step back (←)">◀</button>'
        f'<button class="play" id="{prefix}play" title="play or pause (Space)">▶ play</button>'
        f'<button class="next" id="{prefix}next" title="step forward (→)">▶</button>'
        f'<button class="last" id="{prefix}last" title="last step (End)">▶|</button>'
        f'<input class="scrub" id="{prefix}scrub" type="range" min="0" max="0" value="0" aria-label="step">'
        f'<span class="count" id="{prefix}count"></span>'
        f'<select class="speed" id="{prefix}speed" title="speed"><option value="0.5">0.5×</option>'
        '<option value="1" selected>1×</option><option value="2">2×</option><option value="4">4×</option></select>'
        f'<label><input class="fwd" id="{prefix}fwd" type="checkbox"> forward pass</label>'
        f'<button class="fit" id="{prefix}fit" title="fit the picture to the window, or show it at its own size">fit</button>'
        "</div>",
        f'<div class="caption" id="{prefix}caption" aria-live="polite"></div>',
        error,
        f'<div class="view fit" id="{prefix}view">{svg_picture(graph, layout, theme, prefix)}</div>',
        f'<script type="application/json" id="{prefix}steps">{_json_for_script(steps_data(graph))}</script>',
        "</section>",
    ])


def page_html(graph: Graph, layout: Layout, theme: str = "light", title: str | None = None) -> str:
    """The whole page: the picture in ``layout`` and ``theme``, the step player and every step's texts."""
    heading = title if title is not None else graph.title
    name = heading or "adviz: the backward pass"
    return "\n".join([
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(name)}</title>",
        f"<style>{page_style(theme)}</style></head><body>",
        f"<header>{escape(heading)}</header>" if heading else "",
        player_html(graph, layout, theme),
        f"<script>{SCRIPT}</script>",
        "</body></html>",
    ]) + "\n"


def write_page(graph: Graph, layout: Layout, path: str | Path, theme: str = "light", title: str | None = None,
               inputs: Iterable[str | Path | None] = ()) -> Path:
    """Write the page to ``path`` atomically (refused first when ``path`` is one of ``inputs``)."""
    from .files import check_output, write_text
    check_output(path, inputs, (".html", ".htm"))
    return write_text(path, page_html(graph, layout, theme, title))

/* Figure viewer for graphs (.ag-graph) and plots (.ag-plot): the whole figure fitted to the column at
   first, then zoom, pan and full screen by mouse, keyboard and touch. No library, no request.

   - Fit: the SVG is scaled to the column width (CSS: max-width 100%); scale 1 here means "fitted".
   - Zoom: a CSS transform on the SVG (translate, then scale), inside a frame that clips it.
     Buttons +, -, reset, full screen; keys + - 0 and the arrows when the figure has the focus;
     Ctrl + wheel (plain wheel in full screen); pinch with two fingers.
   - Pan: drag with the mouse or one finger once zoomed in (before that a finger scrolls the page).
   - Full screen: the figure fills the window (a fixed overlay: works where the Fullscreen API does not,
     e.g. on iPhones); Escape or the button leaves it. */
(function () {
  "use strict";
  var STEP = 1.5;        // one zoom step
  var LEGIBLE_PX = 16;   // the largest zoom brings the smallest label to at least this many px
  var MIN_MAX = 4;       // and is at least 4 times the fitted size

  function svgOf(box) {
    for (var n = box.firstElementChild; n; n = n.nextElementSibling) if (n.tagName.toLowerCase() === "svg") return n;
    return null;
  }

  // The smallest label on screen, in CSS px, at the current size (no transform applied).
  function minLabelPx(svg) {
    var min = Infinity;
    var texts = svg.querySelectorAll("text");
    for (var i = 0; i < texts.length; i++) {
      var m = texts[i].getScreenCTM();
      if (!m) continue;
      var px = parseFloat(getComputedStyle(texts[i]).fontSize) * Math.hypot(m.a, m.b);
      if (px > 0 && px < min) min = px;
    }
    return min === Infinity ? null : min;
  }

  function button(label, text, cls) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = "ag-fig-btn " + cls;
    b.setAttribute("aria-label", label);
    b.title = label;
    b.textContent = text;
    return b;
  }

  function Viewer(box) {
    var svg = svgOf(box);
    if (!svg) return;
    var self = this;
    this.box = box;
    this.svg = svg;
    this.s = 1; this.x = 0; this.y = 0;
    this.full = false;

    // <div class="ag-fig"> [toolbar] [.ag-graph / .ag-plot = the clipping frame] </div>
    var wrap = document.createElement("div");
    wrap.className = "ag-fig";
    box.parentNode.insertBefore(wrap, box);
    var bar = document.createElement("div");
    bar.className = "ag-fig-bar";
    bar.setAttribute("role", "toolbar");
    var name = box.getAttribute("aria-label") || svg.getAttribute("aria-label") || "figure";
    bar.setAttribute("aria-label", "Zoom: " + name);
    this.zoomOut = button("Zoom out (\u2212)", "\u2212", "ag-fig-out");
    this.zoomIn = button("Zoom in (+)", "+", "ag-fig-in");
    this.reset = button("Fit to the column (0)", "Fit", "ag-fig-reset");
    this.fullBtn = button("Full screen", "", "ag-fig-full");
    // Four corners: an icon drawn here, as no system font is sure to have a "full screen" glyph.
    this.fullBtn.innerHTML = '<svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true" focusable="false">' +
      '<path d="M1 6V1h5M10 1h5v5M15 10v5h-5M6 15H1v-5" fill="none" stroke="currentColor" stroke-width="2"/></svg>';
    [this.zoomOut, this.zoomIn, this.reset, this.fullBtn].forEach(function (b) { bar.appendChild(b); });
    wrap.appendChild(bar);
    wrap.appendChild(box);
    this.wrap = wrap;
    box.classList.add("ag-fig-frame");
    if (!box.hasAttribute("tabindex")) box.tabIndex = 0;
    box.setAttribute("aria-keyshortcuts", "+ - 0 ArrowLeft ArrowRight ArrowUp ArrowDown");
    if (!box.hasAttribute("title")) box.title = "Zoom with + and -, move with the arrow keys, 0 to fit";

    this.zoomIn.addEventListener("click", function () { self.zoomBy(STEP); });
    this.zoomOut.addEventListener("click", function () { self.zoomBy(1 / STEP); });
    this.reset.addEventListener("click", function () { self.fit(); });
    this.fullBtn.addEventListener("click", function () { self.toggleFull(); });
    box.addEventListener("keydown", function (e) { self.key(e); });
    wrap.addEventListener("keydown", function (e) {
      if (e.key === "Escape" && self.full) { e.preventDefault(); self.toggleFull(); }
    });
    box.addEventListener("wheel", function (e) { self.wheel(e); }, { passive: false });
    this.pointers(box);
    // Re-fit when the column changes width, or when a hidden tab with the figure is opened.
    if (window.ResizeObserver) new ResizeObserver(function () { self.apply(); }).observe(box);
    else window.addEventListener("resize", function () { self.apply(); });
    this.apply();
  }

  Viewer.prototype.maxScale = function () {
    if (this.s === 1 || this.fitLabel === undefined) this.fitLabel = minLabelPx(this.svg);
    var need = this.fitLabel ? LEGIBLE_PX / this.fitLabel : 1;
    return Math.max(MIN_MAX, need * 1.01);
  };

  // Move and scale the SVG inside its frame. Zoomed, the SVG sits at the frame's top left (transform
  // origin 0 0) and (x, y) is where its corner is: clamped so that it covers the frame where it is larger,
  // and centred where it is smaller.
  Viewer.prototype.apply = function () {
    var box = this.box, svg = this.svg;
    if (this.s < 1) this.s = 1;
    var zoomed = this.s > 1;
    box.classList.toggle("ag-zoomed", zoomed);
    var w = svg.clientWidth, h = svg.clientHeight;  // the fitted size (transforms do not change it)
    if (!this.full) box.style.height = zoomed ? Math.max(h, Math.min(h * this.s, window.innerHeight * 0.7)) + "px" : "";
    var fw = box.clientWidth, fh = box.clientHeight;
    var cw = w * this.s, ch = h * this.s;
    this.pannable = cw > fw + 1 || ch > fh + 1;
    box.classList.toggle("ag-pannable", this.pannable);
    if (!zoomed && !this.full) { this.x = 0; this.y = 0; svg.style.transform = ""; }
    else {
      this.x = cw <= fw ? (fw - cw) / 2 : Math.min(0, Math.max(fw - cw, this.x));
      this.y = ch <= fh ? (fh - ch) / 2 : Math.min(0, Math.max(fh - ch, this.y));
      svg.style.transform = "translate(" + this.x + "px," + this.y + "px) scale(" + this.s + ")";
    }
    this.zoomOut.disabled = !zoomed;
    this.reset.disabled = !zoomed;
    this.zoomIn.disabled = this.s >= this.maxScale() - 1e-9;
    box.setAttribute("data-ag-scale", this.s.toFixed(3));
  };

  // Zoom by `f` about a point of the frame (its centre by default), keeping that point still.
  Viewer.prototype.zoomBy = function (f, px, py) {
    if (this.s === 1) this.fitLabel = minLabelPx(this.svg);
    var old = this.s;
    var s = Math.min(this.maxScale(), Math.max(1, old * f));
    if (s === old) return;
    if (old === 1) {  // from the fitted layout to the zoomed one: same picture, origin at the corner
      this.s = 1.000001; this.apply(); old = this.s;
    }
    var fw = this.box.clientWidth, fh = this.box.clientHeight;
    if (px === undefined) { px = fw / 2; py = fh / 2; }
    var ux = (px - this.x) / old, uy = (py - this.y) / old;  // the SVG point under (px, py)
    this.s = s;
    if (s > 1) {
      this.apply();  // the frame may grow taller
      if (py > this.box.clientHeight) py = this.box.clientHeight / 2;
      this.x = px - ux * s;
      this.y = py - uy * s;
    }
    this.apply();
  };

  Viewer.prototype.panBy = function (dx, dy) {
    this.x += dx; this.y += dy; this.apply();
  };

  // Bring an element of the figure into view when zoomed (the stepper shows its current node this way).
  Viewer.prototype.show = function (el) {
    if (this.s <= 1) return;
    var f = this.box.getBoundingClientRect(), r = el.getBoundingClientRect();
    if (r.left >= f.left && r.right <= f.right && r.top >= f.top && r.bottom <= f.bottom) return;
    this.x += f.width / 2 - (r.left + r.width / 2 - f.left);
    this.y += f.height / 2 - (r.top + r.height / 2 - f.top);
    this.apply();
  };

  Viewer.prototype.fit = function () { this.s = 1; this.apply(); };

  // Full screen moves the figure to the end of <body> (a fixed overlay inside the page's layout could be
  // offset or covered by the theme's own layers), and a placeholder keeps its place for the way back.
  Viewer.prototype.toggleFull = function () {
    this.full = !this.full;
    var wrap = this.wrap;
    if (this.full) {
      this.placeholder = document.createComment("figure in full screen");
      wrap.parentNode.insertBefore(this.placeholder, wrap);
      document.body.appendChild(wrap);
      wrap.classList.add("md-typeset");
    } else if (this.placeholder) {
      this.placeholder.parentNode.insertBefore(wrap, this.placeholder);
      this.placeholder.parentNode.removeChild(this.placeholder);
      this.placeholder = null;
      wrap.classList.remove("md-typeset");
    }
    wrap.classList.toggle("ag-fig--full", this.full);
    wrap.setAttribute("role", this.full ? "dialog" : "group");
    wrap.setAttribute("aria-label", this.full ? "Figure, full screen" : "Figure");
    document.documentElement.classList.toggle("ag-fig-open", this.full);
    this.fullBtn.setAttribute("aria-label", this.full ? "Leave full screen (Escape)" : "Full screen");
    this.fullBtn.title = this.fullBtn.getAttribute("aria-label");
    this.fullBtn.setAttribute("aria-pressed", String(this.full));
    this.s = 1;
    this.apply();
    (this.full ? this.box : this.fullBtn).focus();
  };

  Viewer.prototype.key = function (e) {
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    var step = 40, k = e.key;
    if (k === "+" || k === "=") this.zoomBy(STEP);
    else if (k === "-" || k === "_") this.zoomBy(1 / STEP);
    else if (k === "0") this.fit();
    else if (this.pannable && k === "ArrowLeft") this.panBy(step, 0);
    else if (this.pannable && k === "ArrowRight") this.panBy(-step, 0);
    else if (this.pannable && k === "ArrowUp") this.panBy(0, step);
    else if (this.pannable && k === "ArrowDown") this.panBy(0, -step);
    else return;
    e.preventDefault();
  };

  Viewer.prototype.wheel = function (e) {
    if (!(e.ctrlKey || e.metaKey || this.full)) return;  // a plain wheel scrolls the page
    e.preventDefault();
    var r = this.box.getBoundingClientRect();
    this.zoomBy(e.deltaY < 0 ? 1.2 : 1 / 1.2, e.clientX - r.left, e.clientY - r.top);
  };

  // Mouse drag and one-finger pan once zoomed; two-finger pinch always.
  Viewer.prototype.pointers = function (box) {
    var self = this, active = {}, last = null, pinch = null;
    function count() { return Object.keys(active).length; }
    function mid() {
      var ps = Object.keys(active).map(function (k) { return active[k]; });
      var r = box.getBoundingClientRect();
      return { x: (ps[0].x + ps[1].x) / 2 - r.left, y: (ps[0].y + ps[1].y) / 2 - r.top,
               d: Math.hypot(ps[0].x - ps[1].x, ps[0].y - ps[1].y) };
    }
    box.addEventListener("pointerdown", function (e) {
      if (e.pointerType === "mouse" && (e.button !== 0 || !self.pannable)) return;
      active[e.pointerId] = { x: e.clientX, y: e.clientY };
      if (count() === 2) pinch = mid();
      last = { x: e.clientX, y: e.clientY };
      if (self.pannable || count() === 2) { try { box.setPointerCapture(e.pointerId); } catch (err) { /* gone */ } }
    });
    box.addEventListener("pointermove", function (e) {
      if (!(e.pointerId in active)) return;
      active[e.pointerId] = { x: e.clientX, y: e.clientY };
      if (count() === 2 && pinch) {
        var m = mid();
        if (pinch.d > 0) self.zoomBy(m.d / pinch.d, m.x, m.y);
        self.panBy(m.x - pinch.x, m.y - pinch.y);
        pinch = m;
      } else if (count() === 1 && self.pannable && last) {
        self.panBy(e.clientX - last.x, e.clientY - last.y);
        last = { x: e.clientX, y: e.clientY };
        e.preventDefault();
      }
    });
    function up(e) {
      delete active[e.pointerId];
      if (count() < 2) pinch = null;
      last = null;
    }
    box.addEventListener("pointerup", up);
    box.addEventListener("pointercancel", up);
  };

  function init() {
    var boxes = document.querySelectorAll(".md-typeset .ag-graph, .md-typeset .ag-plot");
    for (var i = 0; i < boxes.length; i++) {
      var box = boxes[i];
      if (box.parentElement.classList.contains("ag-fig")) continue;  // already done
      if (box.closest(".ag-graph svg, .ag-plot svg")) continue;
      box._agViewer = new Viewer(box);
    }
  }
  window.agFigureViewer = Viewer;
  window.agFigureInit = init; // run.js calls it when a Run puts a new figure in the page

  if (typeof document$ !== "undefined") document$.subscribe(init);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();

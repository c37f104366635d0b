/* Backprop stepper (autograd_notes.steps.stepper): one click per node, in the order backward() visits
   them. The page holds the graph drawn once, with every gradient the build computed, and the steps as
   JSON; this script blanks the gradients not reached yet and fills them in, step by step, with the
   chain-rule line of each. Buttons Previous / Next / Reset; the arrow keys, Home and End on them. */
(function () {
  "use strict";

  function Stepper(root) {
    var steps = JSON.parse(root.getAttribute("data-steps"));
    var self = this;
    this.root = root;
    this.steps = steps;
    this.k = 0;  // how many steps are done
    this.texts = {};
    this.boxes = {};
    root.querySelectorAll("[data-ag-grad]").forEach(function (t) { self.texts[t.getAttribute("data-ag-grad")] = t; });
    root.querySelectorAll("[data-ag-node]").forEach(function (g) { self.boxes[g.getAttribute("data-ag-node")] = g; });

    var controls = document.createElement("div");
    controls.className = "ag-stepper-controls";
    controls.setAttribute("role", "group");
    controls.setAttribute("aria-label", "Backprop steps");
    this.prev = this.button("Previous", "ag-stepper-prev");
    this.next = this.button("Next", "ag-stepper-next");
    this.reset = this.button("Reset", "ag-stepper-reset");
    this.status = document.createElement("span");
    this.status.className = "ag-stepper-status";
    [this.prev, this.next, this.reset, this.status].forEach(function (el) { controls.appendChild(el); });
    this.line = document.createElement("p");
    this.line.className = "ag-stepper-line";
    this.line.setAttribute("aria-live", "polite");
    var fig = root.querySelector(".ag-fig") || root.querySelector(".ag-graph");
    fig.parentNode.insertBefore(controls, fig);
    fig.parentNode.insertBefore(this.line, fig);
    this.prev.addEventListener("click", function () { self.go(self.k - 1); });
    this.next.addEventListener("click", function () { self.go(self.k + 1); });
    this.reset.addEventListener("click", function () { self.go(0); });
    controls.addEventListener("keydown", function (e) {
      var to = { ArrowRight: self.k + 1, ArrowDown: self.k + 1, ArrowLeft: self.k - 1, ArrowUp: self.k - 1,
                 Home: 0, End: self.steps.length }[e.key];
      if (to === undefined || e.altKey || e.ctrlKey || e.metaKey) return;
      e.preventDefault();
      self.go(to);
    });
    root.classList.add("ag-stepper--live");
    this.go(0);
  }

  Stepper.prototype.button = function (text, cls) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = "ag-fig-btn " + cls;
    b.textContent = text;
    return b;
  };

  // Show the state after `k` steps: the first k nodes have their gradient, the k-th is marked.
  Stepper.prototype.go = function (k) {
    var n = this.steps.length;
    k = Math.max(0, Math.min(n, k));
    this.k = k;
    for (var i = 0; i < n; i++) {
      var s = this.steps[i], t = this.texts[s.node], g = this.boxes[s.node];
      if (t) t.textContent = "grad " + (i < k ? s.grad : "?");
      if (g) {
        g.classList.toggle("ag-step-current", i === k - 1);
        g.classList.toggle("ag-step-done", i < k);
      }
    }
    var frame = this.root.querySelector(".ag-fig-frame"), now = k ? this.boxes[this.steps[k - 1].node] : null;
    if (frame && frame._agViewer && now) frame._agViewer.show(now);  // zoomed in: follow the walk
    this.status.textContent = "Step " + k + " of " + n;
    this.line.textContent = k === 0
      ? "Press Next: backward() starts at the output and visits one node per step."
      : this.steps[k - 1].line;
    this.prev.disabled = k === 0;
    this.reset.disabled = k === 0;
    this.next.disabled = k === n;
    this.root.setAttribute("data-ag-step", String(k));
    var f = document.activeElement;  // a button that just got disabled would drop the keyboard focus
    if (f && f.disabled && this.root.contains(f)) (k === n ? this.prev : this.next).focus();
  };

  function init() {
    document.querySelectorAll(".ag-stepper:not(.ag-stepper--live)").forEach(function (el) {
      el._agStepper = new Stepper(el);
    });
  }
  window.agStepperInit = init; // run.js calls it when a Run puts a new stepper in the page
  if (typeof document$ !== "undefined") document$.subscribe(init);
  else if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();

// The lab's live view while Play trains in this browser: Streamlit's component messages (the
// protocol streamlit-component-lib speaks, written out: no build step), a training loop that yields
// to the page every frame, and the page's own plotly figures with their data replaced as the run moves.
(function () {
  "use strict";
  const TRAIN_MS = 35; // training per animation frame: the page stays responsive
  const DRAW_MS = 400; // the plane and the curves redrawn at most this often (D's surface costs ~50 ms)
  const send = (type, data) => window.parent.postMessage(Object.assign({ isStreamlitMessage: true, type }, data), "*");
  let token = null, run = null, args = null, playing = false, startStep = 0, lastDraw = 0, lastInput = 0, revision = 0;
  let generation = 0; // each Play's loop runs only while it is the latest

  function setHeight() { send("streamlit:setFrameHeight", { height: document.body.scrollHeight + 8 }); }

  function touched() { lastInput = performance.now(); }
  const INPUTS = ["pointerdown", "keydown", "wheel"];
  INPUTS.forEach((kind) => {
    window.addEventListener(kind, touched, true);
    try { window.parent.document.addEventListener(kind, touched, true); } catch (e) { /* another origin */ }
  });
  window.addEventListener("pagehide", () => {
    // The page's document outlives this frame: leave nothing of it holding this frame's memory.
    try { INPUTS.forEach((kind) => window.parent.document.removeEventListener(kind, touched, true)); } catch (e) { /* */ }
  });

  function counters() {
    const h = args.state.history, m = args.state.metrics, rh = run.history, rm = run.metrics, L = args.labels;
    const last = (a, b) => (b.length ? b[b.length - 1] : a[a.length - 1]);
    const centres = GanLab.modeCenters(run.config.target);
    const shown = (v, format) => (v === undefined || v === null || Number.isNaN(v) ? "–" : format(v));
    const values = [
      [L.steps, String(run.step)],
      [L.modes, centres ? `${last(m.modes, rm.modes)} / ${centres.length}` : "–"],
      [L.kl, shown(last(m.kl, rm.kl), (v) => v.toFixed(2))],
      [L.grad, shown(last(h.grad_g, rh.grad_g), (v) => v.toExponential(1))],
    ];
    document.getElementById("counters").innerHTML = values.map(([label, value]) =>
      `<div class="counter"><div class="label">${label}</div><div class="value">${value}</div></div>`).join("");
  }

  function draw() {
    const plane = args.plane, curves = args.curves, shown = plane.data[1].x.length || 300;
    revision += 1;
    const surface = run.surface();
    plane.data[0].x = surface.axis; plane.data[0].y = surface.axis; plane.data[0].z = surface.z;
    const fake = run.fakePoints();
    plane.data[2].x = []; plane.data[2].y = [];
    for (let i = 0; i < Math.min(shown, fake.length / 2); i++) { plane.data[2].x.push(fake[2 * i]); plane.data[2].y.push(fake[2 * i + 1]); }
    if (plane.data[3]) {
      const { points, push } = run.arrows();
      let norm = 1e-12;
      for (let i = 0; i < push.length / 2; i++) norm = Math.max(norm, Math.hypot(push[2 * i], push[2 * i + 1]));
      const xs = [], ys = [];
      for (let i = 0; i < points.length / 2; i++) {
        xs.push(points[2 * i], points[2 * i] + push[2 * i] * 0.5 / norm, null);
        ys.push(points[2 * i + 1], points[2 * i + 1] + push[2 * i + 1] * 0.5 / norm, null);
      }
      plane.data[3].x = xs; plane.data[3].y = ys;
    }
    const h = args.state.history, m = args.state.metrics, rh = run.history, rm = run.metrics;
    const series = [[h.step.concat(rh.step), h.loss_d.concat(rh.loss_d)], [h.step.concat(rh.step), h.loss_g.concat(rh.loss_g)],
      [m.step.concat(rm.step), m.kl.concat(rm.kl)], [m.step.concat(rm.step), m.modes.concat(rm.modes)]];
    series.forEach(([x, y], i) => { if (curves.data[i]) { curves.data[i].x = x; curves.data[i].y = y; } });
    plane.layout.datarevision = revision; curves.layout.datarevision = revision;
    Plotly.react("plane", plane.data, plane.layout, { displayModeBar: false, responsive: true });
    Plotly.react("curves", curves.data, curves.layout, { displayModeBar: false, responsive: true });
    counters();
    setHeight();
  }

  function stop(reason) {
    if (!playing) return;
    playing = false;
    const button = document.getElementById("pause");
    button.disabled = true;
    button.textContent = args.labels.handing_back;
    send("streamlit:setComponentValue", { value: { token, reason, state: run.state() }, dataType: "json" });
    try { draw(); } catch (e) { /* the run is handed back already */ }
  }

  function loop(mine) {
    if (!playing || mine !== generation) return;
    const t0 = performance.now();
    do {
      run.train(1);
      if (run.step - startStep >= args.budget.steps) return stop("steps");
    } while (performance.now() - t0 < TRAIN_MS);
    if (performance.now() - lastInput > 1000 * args.budget.idle_seconds) return stop("idle");
    if (performance.now() - lastDraw > DRAW_MS) { draw(); lastDraw = performance.now(); }
    window.requestAnimationFrame(() => loop(mine));
  }

  function label(newArgs) {
    // Labels follow every render (the visitor may switch language while the browser plays).
    if (args) args.labels = newArgs.labels;
    document.getElementById("caption").textContent = newArgs.labels.caption;
    if (playing) document.getElementById("pause").textContent = newArgs.labels.pause;
  }

  function start(newArgs) {
    args = newArgs;
    token = args.token;
    const state = args.state;
    run = new GanLab.Run(state, GanLab.seededDraws(state.draws_seed, state.config));
    startStep = run.step;
    const button = document.getElementById("pause");
    button.textContent = args.labels.pause;
    button.disabled = false;
    button.onclick = () => stop("paused");
    label(args);
    [["plane", args.plane], ["curves", args.curves]].forEach(([id, figure]) => {
      // Hold the figure's height from the start: the counters below never slide under a chart.
      document.getElementById(id).style.minHeight = `${figure.layout.height || 450}px`;
    });
    [args.plane, args.curves].forEach((figure) => {
      // The page's figures, on this frame's transparent ground, with room for the y axis's ticks.
      Object.assign(figure.layout, { paper_bgcolor: "rgba(0,0,0,0)", plot_bgcolor: "rgba(0,0,0,0)" });
      figure.layout.margin = Object.assign({}, figure.layout.margin, { l: 40 });
    });
    Plotly.newPlot("plane", args.plane.data, args.plane.layout, { displayModeBar: false, responsive: true });
    Plotly.newPlot("curves", args.curves.data, args.curves.layout, { displayModeBar: false, responsive: true });
    counters();
    setHeight();
    touched();
    playing = true;
    lastDraw = performance.now();
    if (args.budget.steps <= 0) return stop("steps");
    generation += 1;
    const mine = generation;
    window.requestAnimationFrame(() => loop(mine));
  }

  window.addEventListener("message", (event) => {
    if (event.data.type !== "streamlit:render") return;
    if (event.data.args.token !== token) start(event.data.args); // a rerun with the same Play keeps this one going
    else label(event.data.args);
  });
  send("streamlit:componentReady", { apiVersion: 1 });
})();

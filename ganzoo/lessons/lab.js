// The training lab's GAN in the visitor's browser: ganzoo/lessons/lab.py's LabRun, step for step.
//
// Why: a class pressing Play together asked the server for ~270 ms of CPU per player per live-view
// update (benchmarks/load.md); trained here, each student's own machine does its own steps. Same
// networks (Linear + LeakyReLU(0.2) MLPs, torch's weight layout), same losses (ganzoo.maths.losses),
// same optimizers (ganzoo.maths.optim), same metrics (ganzoo.maths.metrics), hand-written gradients;
// tests/browser/test_lab_js.py feeds this file and LabRun the same draws and compares every step.
(function (root) {
  "use strict";
  const SLOPE = 0.2; // LeakyReLU's negative slope (ganzoo.models.points.mlp)
  const GP_WEIGHT = 10; // ganzoo.maths.losses.gradient_penalty
  const CROSS_ENTROPY = ["saturating", "non-saturating"];

  // --- Matrix products on row-major Float64Arrays, the k loop unrolled by four (V8 does not vectorise) --

  function gemmABt(a, w, z, n, nin, nout) {
    // z (n x nout) += a (n x nin) . w^T, w being nout x nin
    const k4 = nin - (nin % 4);
    for (let i = 0; i < n; i++) {
      const ai = i * nin, zi = i * nout;
      for (let o = 0; o < nout; o++) {
        const wo = o * nin;
        let s0 = 0, s1 = 0, s2 = 0, s3 = 0, k = 0;
        for (; k < k4; k += 4) {
          s0 += a[ai + k] * w[wo + k]; s1 += a[ai + k + 1] * w[wo + k + 1];
          s2 += a[ai + k + 2] * w[wo + k + 2]; s3 += a[ai + k + 3] * w[wo + k + 3];
        }
        for (; k < nin; k++) s0 += a[ai + k] * w[wo + k];
        z[zi + o] += (s0 + s1) + (s2 + s3);
      }
    }
  }

  function addScaled(dst, at, v, src, from, len) {
    // dst[at .. at + len) += v * src[from .. from + len), unrolled by four
    const k4 = len - (len % 4);
    let k = 0;
    for (; k < k4; k += 4) {
      dst[at + k] += v * src[from + k]; dst[at + k + 1] += v * src[from + k + 1];
      dst[at + k + 2] += v * src[from + k + 2]; dst[at + k + 3] += v * src[from + k + 3];
    }
    for (; k < len; k++) dst[at + k] += v * src[from + k];
  }

  function gemmAtB(d, x, g, n, nout, nin) {
    // g (nout x nin) += d^T (nout x n) . x (n x nin): row o of g gains d[i][o] times row i of x
    for (let i = 0; i < n; i++) {
      for (let o = 0; o < nout; o++) if (d[i * nout + o] !== 0) addScaled(g, o * nin, d[i * nout + o], x, i * nin, nin);
    }
  }

  function gemmAB(d, w, out, n, nout, nin) {
    // out (n x nin) += d (n x nout) . w (nout x nin): row i of out gains d[i][o] times row o of w
    for (let i = 0; i < n; i++) {
      for (let o = 0; o < nout; o++) if (d[i * nout + o] !== 0) addScaled(out, i * nin, d[i * nout + o], w, o * nin, nin);
    }
  }

  // --- Networks: layers of {nin, nout, w (nout x nin, row-major as torch's Linear), b} -------------

  function forward(net, x, n) {
    // Returns the output (n x nout) and what backward needs: each layer's input and pre-activation.
    const cache = [];
    let a = x;
    net.forEach((layer, l) => {
      const { nin, nout, w, b } = layer;
      const z = new Float64Array(n * nout);
      for (let i = 0; i < n; i++) z.set(b, i * nout);
      gemmABt(a, w, z, n, nin, nout);
      cache.push({ input: a, z });
      if (l < net.length - 1) {
        const h = new Float64Array(z.length);
        for (let j = 0; j < z.length; j++) h[j] = z[j] > 0 ? z[j] : SLOPE * z[j];
        a = h;
      } else {
        a = z;
      }
    });
    return { out: a, cache };
  }

  function backward(net, cache, dout, n, grads, wantInputGrad = true) {
    // dout: dL/d(output) (n x nout). Adds dL/dw, dL/db into grads (when given); returns dL/dx and
    // each layer's delta dL/dz (the GP's second pass needs them).
    let delta = dout;
    const deltas = new Array(net.length);
    for (let l = net.length - 1; l >= 0; l--) {
      const { nin, nout, w } = net[l];
      const { input, z } = cache[l];
      if (l < net.length - 1) {
        const d = new Float64Array(delta.length);
        for (let j = 0; j < d.length; j++) d[j] = z[j] > 0 ? delta[j] : SLOPE * delta[j];
        delta = d;
      }
      deltas[l] = delta;
      if (grads) {
        const { w: gw, b: gb } = grads[l];
        for (let i = 0; i < n; i++) for (let o = 0; o < nout; o++) gb[o] += delta[i * nout + o];
        gemmAtB(delta, input, gw, n, nout, nin);
      }
      if (l === 0 && !wantInputGrad) break;
      const dx = new Float64Array(n * nin);
      gemmAB(delta, w, dx, n, nout, nin);
      delta = dx;
    }
    return { dx: delta, deltas };
  }

  function zeroGrads(net) {
    return net.map((layer) => ({ w: new Float64Array(layer.w.length), b: new Float64Array(layer.b.length) }));
  }

  // --- Losses on D's outputs: [value, dL/d(output) per sample] (ganzoo.maths.losses) --------------

  const softplus = (x) => (x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x)));
  const sigmoid = (x) => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)));
  const logSigmoid = (x) => -softplus(-x);

  function dLoss(kind, real, fake, smoothing) {
    const n = real.length, m = fake.length;
    const gr = new Float64Array(n), gf = new Float64Array(m);
    let value = 0;
    if (CROSS_ENTROPY.includes(kind)) {
      for (let i = 0; i < n; i++) { value += (softplus(real[i]) - smoothing * real[i]) / n; gr[i] = (sigmoid(real[i]) - smoothing) / n; }
      for (let i = 0; i < m; i++) { value += softplus(fake[i]) / m; gf[i] = sigmoid(fake[i]) / m; }
    } else if (kind === "least-squares") {
      for (let i = 0; i < n; i++) { value += 0.5 * (real[i] - 1) ** 2 / n; gr[i] = (real[i] - 1) / n; }
      for (let i = 0; i < m; i++) { value += 0.5 * fake[i] ** 2 / m; gf[i] = fake[i] / m; }
    } else if (kind === "wgan-gp") {
      for (let i = 0; i < n; i++) { value -= real[i] / n; gr[i] = -1 / n; }
      for (let i = 0; i < m; i++) { value += fake[i] / m; gf[i] = 1 / m; }
    } else {
      throw new Error("unknown loss " + kind);
    }
    return { value, gr, gf };
  }

  function gLoss(kind, fake) {
    const m = fake.length, g = new Float64Array(m);
    let value = 0;
    for (let i = 0; i < m; i++) {
      const l = fake[i];
      if (kind === "saturating") { value -= softplus(l) / m; g[i] = -sigmoid(l) / m; }
      else if (kind === "non-saturating") { value += softplus(-l) / m; g[i] = -sigmoid(-l) / m; }
      else if (kind === "least-squares") { value += 0.5 * (l - 1) ** 2 / m; g[i] = (l - 1) / m; }
      else if (kind === "wgan-gp") { value -= l / m; g[i] = -1 / m; }
      else throw new Error("unknown loss " + kind);
    }
    return { value, g };
  }

  function gradientPenalty(D, real, fake, eps, n, grads) {
    // weight * mean((|grad_x D(x_hat)| - 1)^2) on x_hat = eps real + (1 - eps) fake, and its gradient
    // in D's weights: the input gradient g = W1^T M1 W2^T M2 ... w_out is linear in each weight (the
    // LeakyReLU masks M are piecewise constant), so dGP/dW_l = delta_l^T r_(l-1), where r runs v = dGP/dg
    // forward through the weights and masks. Biases only move the masks: no gradient, as in torch.
    const xh = new Float64Array(2 * n);
    for (let i = 0; i < n; i++) {
      for (let k = 0; k < 2; k++) xh[2 * i + k] = eps[i] * real[2 * i + k] + (1 - eps[i]) * fake[2 * i + k];
    }
    const { cache } = forward(D, xh, n);
    const { dx: g, deltas } = backward(D, cache, new Float64Array(n).fill(1), n, null);
    let value = 0;
    let r = new Float64Array(2 * n);
    for (let i = 0; i < n; i++) {
      const norm = Math.hypot(g[2 * i], g[2 * i + 1]);
      value += GP_WEIGHT * (norm - 1) ** 2 / n;
      const c = norm > 0 ? GP_WEIGHT * 2 * (norm - 1) / (n * norm) : 0;
      r[2 * i] = c * g[2 * i];
      r[2 * i + 1] = c * g[2 * i + 1];
    }
    D.forEach((layer, l) => {
      const { nin, nout, w } = layer;
      gemmAtB(deltas[l], r, grads[l].w, n, nout, nin);
      if (l === D.length - 1) return;
      const next = new Float64Array(n * nout);
      gemmABt(r, w, next, n, nin, nout);
      const z = cache[l].z;
      for (let j = 0; j < next.length; j++) if (!(z[j] > 0)) next[j] *= SLOPE;
      r = next;
    });
    return value;
  }

  // --- Optimizers (ganzoo.maths.optim: torch.optim's single-tensor updates) -------------------------

  function makeOptimizer(name, lr, net, saved) {
    // One state per tensor, in torch's parameter order (w, b of each layer); `saved` continues a run.
    const tensors = net.flatMap((layer) => [layer.w, layer.b]);
    const state = saved || tensors.map(() => ({}));
    function update(grads) {
      const gs = grads.flatMap((g) => [g.w, g.b]);
      tensors.forEach((p, j) => {
        const g = gs[j], s = state[j];
        if (name === "sgd") {
          for (let k = 0; k < p.length; k++) p[k] -= lr * g[k];
        } else if (name === "adam") {
          const b1 = 0.5, b2 = 0.9, eps = 1e-8;
          if (!s.m) { s.m = new Float64Array(p.length); s.v = new Float64Array(p.length); s.t = 0; }
          s.t += 1;
          const stepSize = lr / (1 - b1 ** s.t), bc2 = Math.sqrt(1 - b2 ** s.t);
          for (let k = 0; k < p.length; k++) {
            s.m[k] += (g[k] - s.m[k]) * (1 - b1);
            s.v[k] = s.v[k] * b2 + (1 - b2) * g[k] * g[k];
            p[k] -= stepSize * s.m[k] / (Math.sqrt(s.v[k]) / bc2 + eps);
          }
        } else if (name === "rmsprop") {
          const alpha = 0.99, eps = 1e-8;
          if (!s.v) s.v = new Float64Array(p.length);
          for (let k = 0; k < p.length; k++) {
            s.v[k] = s.v[k] * alpha + (1 - alpha) * g[k] * g[k];
            p[k] -= lr * g[k] / (Math.sqrt(s.v[k]) + eps);
          }
        } else {
          throw new Error("unknown optimizer " + name);
        }
      });
    }
    return { update, state };
  }

  // --- Random draws from a visible seed (mulberry32, Box-Muller) and the targets -------------------

  function seededDraws(seed, config) {
    let a = seed >>> 0;
    const uniform = () => {
      a = (a + 0x6d2b79f5) >>> 0;
      let t = a;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const normal = () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
    return {
      noise(n) {
        const z = new Float64Array(2 * n);
        for (let j = 0; j < z.length; j++) z[j] = config.noise === "uniform" ? uniform() * 2 - 1 : normal();
        return z;
      },
      real(n) { return sampleTarget(config, n, uniform, normal); },
      eps(n) { return Float64Array.from({ length: n }, uniform); },
    };
  }

  function sampleTarget(config, n, uniform, normal) {
    // ganzoo.lessons.lab.sample_target's distributions (not its torch draws)
    const out = new Float64Array(2 * n);
    const centres = modeCenters(config.target);
    for (let i = 0; i < n; i++) {
      let x, y, std;
      if (centres) {
        const c = centres[Math.floor(uniform() * centres.length)];
        [x, y, std] = [c[0], c[1], config.target === "ring8" ? 0.08 : 0.06];
      } else if (config.target === "moons") {
        const t = uniform() * Math.PI, upper = uniform() < 0.5;
        const u = upper ? Math.cos(t) : 1 - Math.cos(t), v = upper ? Math.sin(t) : 0.5 - Math.sin(t);
        [x, y, std] = [(u - 0.5) * 2.2, (v - 0.25) * 2.2, 0.08];
      } else if (config.target === "line") {
        const t = uniform() * 6 - 3;
        [x, y, std] = [t, 0.5 * t, 0.05];
      } else {
        const p = config.custom[Math.floor(uniform() * config.custom.length)];
        [x, y, std] = [p[0], p[1], 0.08];
      }
      out[2 * i] = x + std * normal();
      out[2 * i + 1] = y + std * normal();
    }
    return out;
  }

  function modeCenters(target) {
    if (target === "ring8") return Array.from({ length: 8 }, (_, i) => [2.5 * Math.cos(i * Math.PI / 4), 2.5 * Math.sin(i * Math.PI / 4)]);
    if (target === "grid25") {
      const g = [-2, -1, 0, 1, 2].map((v) => v * 1.6);
      return g.flatMap((y) => g.map((x) => [x, y]));
    }
    return null;
  }

  // --- Metrics (ganzoo.maths.metrics) -------------------------------------------------------------

  function histogram(points, extent, bins) {
    const h = new Float64Array(bins * bins), width = (2 * extent) / bins;
    for (let i = 0; i < points.length / 2; i++) {
      const x = points[2 * i], y = points[2 * i + 1];
      if (!(x >= -extent && x <= extent && y >= -extent && y <= extent)) continue;
      const bx = Math.min(bins - 1, Math.floor((x + extent) / width)), by = Math.min(bins - 1, Math.floor((y + extent) / width));
      h[bx * bins + by] += 1;
    }
    return h;
  }

  function histogramKl(real, fake, extent, bins = 30, eps = 1e-4) {
    const p = histogram(real, extent, bins).map((v) => v + eps), q = histogram(fake, extent, bins).map((v) => v + eps);
    const sp = p.reduce((s, v) => s + v, 0), sq = q.reduce((s, v) => s + v, 0);
    let kl = 0;
    for (let j = 0; j < p.length; j++) kl += (p[j] / sp) * Math.log((p[j] / sp) / (q[j] / sq));
    return kl;
  }

  function modesCovered(target, fake, minShare = 0.2) {
    const centres = modeCenters(target);
    if (!centres) return [0, 0, NaN];
    const std = target === "ring8" ? 0.08 : 0.06, n = fake.length / 2;
    const counts = new Array(centres.length).fill(0);
    let nearAny = 0;
    for (let i = 0; i < n; i++) {
      let near = false;
      centres.forEach((c, j) => {
        if (Math.hypot(fake[2 * i] - c[0], fake[2 * i + 1] - c[1]) < 3 * std) { counts[j] += 1; near = true; }
      });
      if (near) nearAny += 1;
    }
    const fair = n / centres.length;
    return [counts.filter((c) => c >= minShare * fair).length, centres.length, nearAny / n];
  }

  // --- A run --------------------------------------------------------------------------------------

  const numbers = (values) => Float64Array.from(values, (v) => (v === null ? NaN : v)); // JSON's null is NaN

  function toNet(layers) {
    return layers.map(({ w, b }) => ({ nin: w[0].length, nout: w.length, w: numbers(w.flat()), b: numbers(b) }));
  }

  function fromNet(net) {
    return net.map(({ nin, nout, w, b }) => ({
      w: Array.from({ length: nout }, (_, o) => Array.from(w.subarray(o * nin, (o + 1) * nin))), b: Array.from(b),
    }));
  }

  class Run {
    // state: LabRun as ganzoo.lessons.lab_browser.run_state writes it. draws: {real(n), noise(n), eps(n)}.
    constructor(state, draws) {
      this.config = state.config;
      this.G = toNet(state.G);
      this.D = toNet(state.D);
      const restore = (saved) => saved && saved.map((s) => Object.fromEntries(Object.entries(s).map(([k, v]) => [k, Array.isArray(v) ? numbers(v.flat()) : v])));
      this.optG = makeOptimizer(this.config.g_optimizer, this.config.g_lr, this.G, restore(state.opt_g));
      this.optD = makeOptimizer(this.config.d_optimizer, this.config.d_lr, this.D, restore(state.opt_d));
      this.step = state.step;
      this.draws = draws;
      this.probeZ = Float64Array.from(state.probe_z.flat());
      this.evalReal = Float64Array.from(state.eval_real.flat());
      this.history = { step: [], loss_d: [], loss_g: [], grad_g: [] };
      this.metrics = { step: [], kl: [], modes: [], quality: [], d_real: [], d_fake: [], d_spread: [], value: [] };
      this.snapshots = [];
    }

    critic(x, n) { return forward(this.D, x, n).out; }

    dStep() {
      const c = this.config, n = c.batch_size;
      const real = this.draws.real(n);
      const fake = forward(this.G, this.draws.noise(n), n).out;
      const fr = forward(this.D, real, n), ff = forward(this.D, fake, n);
      const loss = dLoss(c.loss, fr.out, ff.out, c.smoothing);
      const grads = zeroGrads(this.D);
      backward(this.D, fr.cache, loss.gr, n, grads, false);
      backward(this.D, ff.cache, loss.gf, n, grads, false);
      let value = loss.value;
      if (c.loss === "wgan-gp") value += gradientPenalty(this.D, real, fake, this.draws.eps(n), n, grads);
      this.optD.update(grads);
      return value;
    }

    gStep() {
      const c = this.config, n = c.batch_size;
      const fg = forward(this.G, this.draws.noise(n), n);
      const fd = forward(this.D, fg.out, n);
      const loss = gLoss(c.loss, fd.out);
      const { dx } = backward(this.D, fd.cache, loss.g, n, null);
      const grads = zeroGrads(this.G);
      backward(this.G, fg.cache, dx, n, grads, false);
      let sq = 0;
      grads.forEach(({ w, b }) => { w.forEach((v) => { sq += v * v; }); b.forEach((v) => { sq += v * v; }); });
      this.optG.update(grads);
      return [loss.value, Math.sqrt(sq)];
    }

    train(steps, only = null, recordEvery = this.config.record_every) {
      for (let s = 0; s < steps; s++) {
        let ld = NaN, lg = NaN, gg = NaN;
        if (only !== "G") for (let k = 0; k < (only === null ? this.config.d_steps : 1); k++) ld = this.dStep();
        if (only !== "D") [lg, gg] = this.gStep();
        this.step += 1;
        this.history.step.push(this.step);
        this.history.loss_d.push(ld);
        this.history.loss_g.push(lg);
        this.history.grad_g.push(gg);
        if (this.step % recordEvery === 0) this.record();
      }
    }

    fakePoints() { return forward(this.G, this.probeZ, this.probeZ.length / 2).out; }

    record() {
      const fake = this.fakePoints(), c = this.config, m = this.metrics;
      const [covered, , quality] = modesCovered(c.target, fake);
      const nr = this.evalReal.length / 2, nf = fake.length / 2;
      const lr = this.critic(this.evalReal, nr), lf = this.critic(fake, nf);
      let pr = 0, pf = 0, spread = 0, vr = 0, vf = 0;
      lr.forEach((l) => { const p = sigmoid(l); pr += p / nr; spread += Math.abs(p - 0.5); vr += logSigmoid(l) / nr; });
      lf.forEach((l) => { const p = sigmoid(l); pf += p / nf; spread += Math.abs(p - 0.5); vf += logSigmoid(-l) / nf; });
      m.step.push(this.step);
      m.kl.push(histogramKl(this.evalReal, fake, c.extent));
      m.modes.push(covered);
      m.quality.push(quality);
      m.d_real.push(pr);
      m.d_fake.push(pf);
      m.d_spread.push(spread / (nr + nf));
      m.value.push(vr + vf);
      this.snapshots.push([this.step, Array.from(fake, (v) => Math.round(v * 1000) / 1000)]);
    }

    surface(resolution = 60) {
      // D over the plane, rows along y (numpy's meshgrid): probabilities for the cross-entropy losses.
      const e = this.config.extent, axis = Array.from({ length: resolution }, (_, i) => -e + (2 * e * i) / (resolution - 1));
      const grid = new Float64Array(2 * resolution * resolution);
      axis.forEach((y, r) => axis.forEach((x, c) => { grid[2 * (r * resolution + c)] = x; grid[2 * (r * resolution + c) + 1] = y; }));
      const out = this.critic(grid, resolution * resolution);
      const prob = CROSS_ENTROPY.includes(this.config.loss);
      return { axis, z: axis.map((_, r) => Array.from(out.subarray(r * resolution, (r + 1) * resolution), (v) => (prob ? sigmoid(v) : v))) };
    }

    arrows(n = 64) {
      // The first n generated points and -dL_G/dx for each (LabRun.generator_arrows).
      const x = this.fakePoints().subarray(0, 2 * n), f = forward(this.D, x, n);
      const { g } = gLoss(this.config.loss, f.out);
      const { dx } = backward(this.D, f.cache, g.map((v) => v * n), n, null);
      return { points: x, push: dx.map((v) => -v) };
    }

    state() {
      // What the server adopts when Play pauses (ganzoo.lessons.lab_browser.adopt).
      const save = (opt) => opt.state.map((s) => Object.fromEntries(Object.entries(s).map(([k, v]) => [k, v instanceof Float64Array ? Array.from(v) : v])));
      return {
        step: this.step, G: fromNet(this.G), D: fromNet(this.D), opt_g: save(this.optG), opt_d: save(this.optD),
        history: this.history, metrics: this.metrics, snapshots: this.snapshots,
      };
    }
  }

  const api = { Run, seededDraws, forward, backward, histogramKl, modesCovered, modeCenters };
  if (typeof module !== "undefined" && module.exports) module.exports = api;
  root.GanLab = api;
})(typeof window !== "undefined" ? window : globalThis);

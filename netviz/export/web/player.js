// netviz player: replays an exported run on a canvas. Self-contained: it fetches nothing.
// The layout (neuron centres, radii, names, caption, panel, legend and loss inset boxes), the
// keys (recorded from the painter as shapes) and the colour tables come from netviz's Python
// code; the formulas ported here (weight scale buckets, pen widths, fills, forward pass,
// decision maps, Think) follow netviz/scene and netviz/render/painter.py.
(function () {
  "use strict";
  var root = document.currentScript.parentElement;
  var D = JSON.parse(root.querySelector(".netviz-data").textContent);
  var L = D.layers, NL = L.length, NE = 0, NN = 0;
  var layerStart = [0];
  for (var i = 0; i < NL; i++) { NN += L[i]; layerStart.push(NN); }
  for (i = 0; i + 1 < NL; i++) NE += L[i] * L[i + 1];
  var NF = D.epochs.length, LEVELS = D.scale.levels;

  // ---- theta layout: per weight layer its weights (n_in, n_out) row by row, then its biases
  var NP = 0, weightIndex = new Int32Array(NE), biasIndex = new Int32Array(NN).fill(-1);
  var edgeSource = new Int32Array(NE), edgeTarget = new Int32Array(NE), edgeLayer = new Int32Array(NE);
  var layerOf = new Int32Array(NN), wOffset = [], bOffset = [];
  (function () {
    var e = 0;
    for (var l = 0; l < NL; l++) for (var k = layerStart[l]; k < layerStart[l + 1]; k++) layerOf[k] = l;
    for (var l = 0; l + 1 < NL; l++) {
      var nIn = L[l], nOut = L[l + 1];
      wOffset.push(NP);
      for (var a = 0; a < nIn; a++) for (var b = 0; b < nOut; b++) {
        weightIndex[e] = NP + a * nOut + b; edgeSource[e] = layerStart[l] + a;
        edgeTarget[e] = layerStart[l + 1] + b; edgeLayer[e] = l; e++;
      }
      NP += nIn * nOut;
      bOffset.push(D.bias ? NP : -1);
      if (D.bias) { for (b = 0; b < nOut; b++) biasIndex[layerStart[l + 1] + b] = NP + b; NP += nOut; }
    }
  })();

  function bytesOf(b64) {
    var s = atob(b64), out = new Uint8Array(s.length);
    for (var i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
    return out;
  }
  function inflate(b64) {
    var stream = new Blob([bytesOf(b64)]).stream().pipeThrough(new DecompressionStream("deflate"));
    return new Response(stream).arrayBuffer();
  }
  function decodeThetas(raw) {
    var t = D.thetas;
    if (t.encoding === "f32") return new Float32Array(raw);
    var codes = new Uint8Array(raw), out = new Float32Array(codes.length);
    for (var j = NP; j < codes.length; j++) codes[j] = (codes[j] + codes[j - NP]) & 255;
    var step = Math.log(t.range) / 126;
    for (j = 0; j < codes.length; j++) {
      var c = codes[j], level = c & 127;
      var v = level ? t.low * Math.exp((level - 1) * step) : 0;
      out[j] = c & 128 ? -v : v;
    }
    return out;
  }

  // ---- the network's forward pass, for rows (n, L[0]) in one Float64Array
  function activate(name, z, n, width) {
    var m = n * width, j;
    if (name === "sigmoid") for (j = 0; j < m; j++) z[j] = 1 / (1 + Math.exp(-z[j]));
    else if (name === "tanh") for (j = 0; j < m; j++) z[j] = Math.tanh(z[j]);
    else if (name === "relu") for (j = 0; j < m; j++) z[j] = z[j] > 0 ? z[j] : 0;
    else if (name === "softmax") for (var r = 0; r < n; r++) {
      var top = -Infinity, sum = 0, o = r * width, k;
      for (k = 0; k < width; k++) top = Math.max(top, z[o + k]);
      for (k = 0; k < width; k++) { z[o + k] = Math.exp(z[o + k] - top); sum += z[o + k]; }
      for (k = 0; k < width; k++) z[o + k] /= sum;
    }
  }
  // The activations the shown epoch was trained with (its segment's: an edit may change them).
  function activations() { return D.activationSets[D.frameActivations[state.frame]]; }
  function forward(theta, x, n) {
    var acts = [x];
    for (var l = 0; l + 1 < NL; l++) {
      var nIn = L[l], nOut = L[l + 1], a = acts[l], z = new Float64Array(n * nOut), w = wOffset[l], bo = bOffset[l];
      for (var r = 0; r < n; r++) {
        var zo = r * nOut, ao = r * nIn;
        for (var b = 0; b < nOut; b++) z[zo + b] = bo >= 0 ? theta[bo + b] : 0;
        for (var i = 0; i < nIn; i++) {
          var v = a[ao + i], wi = w + i * nOut;
          if (v !== 0) for (b = 0; b < nOut; b++) z[zo + b] += v * theta[wi + b];
        }
      }
      activate(activations()[l], z, n, nOut);
      acts.push(z);
    }
    return acts;
  }

  // ---- the weight scale: |w| -> level -> pen bucket (netviz.scene.style.WeightScale)
  var S = D.scale, logSpan = S.kind === "log" ? Math.log(S.maxAbs / S.minAbs) : 1;
  function level(w) {
    var a = Math.abs(w), s = S.kind === "log" ? Math.log(Math.max(a, S.minAbs) / S.minAbs) / logSpan : a / S.maxAbs;
    s = Math.min(s, 1);
    if (!(s === s)) s = 0;
    return Math.min(Math.floor(s * LEVELS + 1e-9), LEVELS - 1);
  }
  function density(n) { return Math.min(1, Math.max(0.1, Math.sqrt(300 / Math.max(n, 1)))); }
  function fmtG(v, digits) {
    if (!isFinite(v)) return v > 0 ? "inf" : v < 0 ? "-inf" : "nan";
    var a = Math.abs(v);
    if (a !== 0 && (a < 1e-4 || a >= Math.pow(10, digits))) {
      var m = v.toExponential(digits - 1).split("e"), mant = m[0];
      if (mant.indexOf(".") >= 0) mant = mant.replace(/0+$/, "").replace(/\.$/, "");
      var ex = parseInt(m[1], 10);
      return mant + "e" + (ex < 0 ? "-" : "+") + (Math.abs(ex) < 10 ? "0" : "") + Math.abs(ex);
    }
    return String(parseFloat(v.toPrecision(digits)));
  }
  function short(v) {  // a value that fits in a neuron (painter._short)
    var a = Math.abs(v);
    if (a === Infinity) return v > 0 ? "∞" : "−∞";
    if (v === Math.round(v) && a < 1000) return v.toFixed(0);
    if (a >= 0.01 && a < 100) return v.toFixed(2);
    if (a >= 1e-3 && a < 0.01) return v.toFixed(3);
    var m = v.toExponential(0).split("e");
    return m[0] + "e" + parseInt(m[1], 10);
  }
  function rgb(c, alpha) {
    return alpha === undefined ? "rgb(" + c[0] + "," + c[1] + "," + c[2] + ")"
      : "rgba(" + c[0] + "," + c[1] + "," + c[2] + "," + alpha + ")";
  }
  function fill(v, T) {  // scene.style.activation_fill
    var t = Math.min(Math.abs(v), 1);
    if (!(t === t)) t = 0;
    var on = v < 0 ? T.negative : T.neuron_on, off = T.neuron_off;
    return [0, 1, 2].map(function (k) { return Math.round(off[k] + (on[k] - off[k]) * t); });
  }
  function darkText(c) { return c[0] * 0.299 + c[1] * 0.587 + c[2] * 0.114 > 140; }

  // ---- state
  var state = { frame: 0, pos: 0, playing: false, speed: D.fps, theme: D.theme, row: null, think: null,
    hover: null, layout: 0 };
  var thetas = null, plane = null, maps = null, mapsKey = null;
  var ui = {}, dirty = true, lastTick = 0, draws = 0;

  function el(tag, cls, parent, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    if (parent) parent.appendChild(e);
    return e;
  }

  function buildUi() {
    var stage = el("div", "nv-stage", root);
    ui.stage = stage;
    ui.canvas = el("canvas", "nv-frame", stage);
    ui.canvas.setAttribute("role", "img");
    ui.tip = el("div", "nv-tip", stage);
    var bar = el("div", "nv-bar", root);
    ui.play = el("button", "nv-play", bar, "Play");
    ui.play.type = "button";
    ui.scrub = el("input", "nv-scrub", bar);
    ui.scrub.type = "range"; ui.scrub.min = 0; ui.scrub.max = NF - 1; ui.scrub.step = 1; ui.scrub.value = 0;
    ui.scrub.setAttribute("aria-label", "exported epoch");
    ui.epoch = el("span", "nv-epoch", bar);
    ui.edit = el("div", "nv-edit", root);
    ui.edit.setAttribute("aria-live", "polite");
    if (!D.edits.length) ui.edit.hidden = true;
    ui.loss = el("canvas", "nv-loss", root);
    var opts = el("div", "nv-bar", root);
    var speedLabel = el("label", "", opts, "speed ");
    ui.speed = el("select", "nv-speed", speedLabel);
    var speeds = [2, 5, 10, 20, 30, 60];
    if (speeds.indexOf(D.fps) < 0) speeds.push(D.fps);
    speeds.sort(function (a, b) { return a - b; }).forEach(function (s) {
      var o = el("option", "", ui.speed, s + " frames/s"); o.value = s; if (s === D.fps) o.selected = true;
    });
    var rowLabel = el("label", "", opts, "input ");
    ui.row = el("select", "nv-row", rowLabel);
    rowChoices().forEach(function (c, k) { var o = el("option", "", ui.row, c.name); o.value = k; });
    ui.thinkButton = el("button", "nv-think", opts, "Think");
    ui.thinkButton.type = "button";
    ui.thinkButton.setAttribute("aria-pressed", "false");
    if (rowChoices().length < 2) { ui.thinkButton.disabled = true; ui.thinkButton.title = "this run has no input rows"; }
    var themeLabel = el("label", "", opts, "theme ");
    ui.theme = el("select", "nv-theme", themeLabel);
    Object.keys(D.themes).forEach(function (name) {
      var o = el("option", "", ui.theme, name); o.value = name; if (name === D.theme) o.selected = true;
    });
  }

  var choices = null;
  function sameRow(a, b) { return a && b && a.length === b.length && a.every(function (v, k) { return v === b[k]; }); }
  function rowChoices() {
    if (choices) return choices;
    choices = [{ name: "none", x: null, target: null }];
    var fmt = function (x) {  // a long row (784 pixels) shows its first values
      var shown = x.length > 6 ? x.slice(0, 3) : x;
      return "[" + shown.map(function (v) { return fmtG(v, 4); }).join(", ") + (shown.length < x.length ? ", …]" : "]");
    };
    var targetOf = function (x) {
      for (var r = 0; r < D.rows.length; r++) if (sameRow(D.rows[r], x)) return D.targets[r];
      return null;
    };
    if (D.newSituation) choices.push({ name: "new situation " + fmt(D.newSituation), x: D.newSituation,
      target: targetOf(D.newSituation) });
    if (D.input && !sameRow(D.input, D.newSituation) && !D.rows.some(function (r) { return sameRow(r, D.input); }))
      choices.push({ name: "input " + fmt(D.input), x: D.input, target: null });
    D.rows.forEach(function (x, r) {
      choices.push({ name: "row " + (r + 1) + " " + fmt(x) + " → " + D.targets[r].map(function (v) { return fmtG(v, 4); }).join(","),
        x: x, target: D.targets[r] });
    });
    return choices;
  }
  function defaultRow() {
    var c = rowChoices();
    for (var k = 1; k < c.length; k++) if (sameRow(c[k].x, D.input)) return k;
    return 0;
  }

  // ---- the layout in use and its segments
  var geo = null;
  function layoutFor(k) {
    var lay = D.layouts[k], seg = new Float32Array(NE * 4), c = lay.centres;
    for (var e = 0; e < NE; e++) {
      var s = edgeSource[e], t = edgeTarget[e];
      seg[4 * e] = c[2 * s]; seg[4 * e + 1] = c[2 * s + 1]; seg[4 * e + 2] = c[2 * t]; seg[4 * e + 3] = c[2 * t + 1];
    }
    return { lay: lay, seg: seg };
  }
  function chooseLayout() {
    var k = root.clientWidth < D.narrowBelow ? 1 : 0;
    if (geo && k === state.layout) return;
    state.layout = k;
    geo = layoutFor(k);
    var lay = geo.lay, dpr = window.devicePixelRatio || 1;
    ui.canvas.width = Math.round(lay.width * dpr);
    ui.canvas.height = Math.round(lay.height * dpr);
    ui.canvas.style.maxWidth = lay.width + "px";
    ui.stage.style.maxWidth = lay.width + "px";
    root.querySelectorAll(".nv-bar").forEach(function (b) { b.style.maxWidth = lay.width + "px"; });
    ui.loss.style.maxWidth = lay.width + "px";
    ui.edit.style.maxWidth = lay.width + "px";
    dirty = true;
  }

  // ---- which synapses are drawn: all, or each large layer's strongest (scene.strongest_edges)
  function shownEdges(w) {
    if (NE <= D.edgeBudget) return null;
    var sizes = [], l, keep = new Uint8Array(NE), start = 0;
    for (l = 0; l + 1 < NL; l++) sizes.push(L[l] * L[l + 1]);
    var smallSum = 0, bigSum = 0;
    var small = sizes.map(function (s) { return s <= D.edgeBudget / sizes.length; });
    sizes.forEach(function (s, k) { if (small[k]) smallSum += s; else bigSum += s; });
    var left = D.edgeBudget - smallSum;
    bigSum = Math.max(1, bigSum);
    for (l = 0; l < sizes.length; l++) {
      var size = sizes[l], k = small[l] ? size : Math.min(size, Math.floor(Math.max(200, left * size / bigSum)));
      if (k >= size) { keep.fill(1, start, start + size); start += size; continue; }
      var mags = new Float32Array(size);
      for (var j = 0; j < size; j++) mags[j] = Math.abs(w[start + j]);
      var sorted = mags.slice().sort(), cut = sorted[size - k], taken = 0;
      for (j = 0; j < size && taken < k; j++) if (mags[j] > cut) { keep[start + j] = 1; taken++; }
      for (j = 0; j < size && taken < k; j++) if (mags[j] === cut) { keep[start + j] = 1; taken++; }
      start += size;
    }
    return keep;
  }

  // ---- decision maps (scene.plane), computed from the weights
  // Features of a point (x, y) the inputs may be made of (engine.data.FEATURES).
  var FEATURES = {
    x: function (x) { return x; }, y: function (x, y) { return y; }, x2: function (x) { return x * x; },
    y2: function (x, y) { return y * y; }, xy: function (x, y) { return x * y; },
    sinx: function (x) { return Math.sin(x); }, siny: function (x, y) { return Math.sin(y); }
  };
  function planeSetup() {
    var P = D.plane;
    if (!P) return null;
    var sets = P.sets.map(function (S) {
      var pts = new Float32Array(bytesOf(S.points).buffer), n = pts.length / 2;
      return { S: S, points: pts, targets: new Float32Array(bytesOf(S.targets).buffer), n: n,
        inputs: networkInputs(Float64Array.from(pts), n, P.features, S.scaling) };
    });
    return { P: P, sets: sets, set: sets[0], nOut: L[NL - 1], mapped: P.features !== null };
  }
  // The network's inputs (n, n_in) for n points of the plane: their features, scaled as the rows were
  // (engine.data.Dataset.inputs_at); inputs that are the points themselves are already as trained on.
  function networkInputs(xy, n, features, scaling) {
    if (!features) return xy;
    var F = features.length, out = new Float64Array(n * F);
    for (var r = 0; r < n; r++) for (var f = 0; f < F; f++) {
      var v = FEATURES[features[f]](xy[2 * r], xy[2 * r + 1]);
      out[r * F + f] = scaling ? (v - scaling.shift[f]) / scaling.scale[f] : v;
    }
    return out;
  }
  function gridInputs(side) {
    return networkInputs(gridPoints(side), side * side, plane.P.features, plane.set.S.scaling);
  }
  function hasMap(n) { return plane !== null && (layerOf[n] > 0 || plane.mapped); }
  function gridPoints(side) {
    var e = plane.set.S.extent, x = new Float64Array(side * side * 2);
    for (var r = 0; r < side; r++) for (var c = 0; c < side; c++) {
      var k = 2 * (r * side + c);
      x[k] = side > 1 ? e[0] + (e[1] - e[0]) * c / (side - 1) : e[0];
      x[k + 1] = side > 1 ? e[3] + (e[2] - e[3]) * r / (side - 1) : e[3];
    }
    return x;
  }
  function signedLevel(v, name, top) {
    if (name === "sigmoid" || name === "softmax") return Math.max(-1, Math.min(1, 2 * v - 1));
    if (name === "tanh") return Math.max(-1, Math.min(1, v));
    return Math.max(-1, Math.min(1, v / Math.max(top, 1e-12)));
  }
  function tableIndex(t, lo) {
    var steps = plane.P.tableSteps;
    if (!(t === t)) t = (lo + 1) / 2;
    return Math.max(0, Math.min(steps - 1, Math.floor((t - lo) * ((steps - 1) / (1 - lo)) + 0.5)));
  }
  function imageOf(side, colourAt) {
    var c = document.createElement("canvas");
    c.width = side; c.height = side;
    var ctx = c.getContext("2d"), img = ctx.createImageData(side, side);
    for (var j = 0; j < side * side; j++) {
      var col = colourAt(j);
      img.data[4 * j] = col[0]; img.data[4 * j + 1] = col[1]; img.data[4 * j + 2] = col[2]; img.data[4 * j + 3] = 255;
    }
    ctx.putImageData(img, 0, 0);
    return c;
  }
  function divergingAt(T, level) {
    var k = 3 * tableIndex(level, -1);
    return [T.diverging[k], T.diverging[k + 1], T.diverging[k + 2]];
  }
  function bounded(name) { return name === "sigmoid" || name === "tanh"; }
  function outputLevel(v, name, top) {
    // A regression output is shaded on one value scale, its targets' reach (scene.plane.output_level).
    var reach = plane.set.S.reach;
    return reach !== null && !bounded(name) ? Math.max(-1, Math.min(1, v / reach)) : signedLevel(v, name, top);
  }
  function computeMaps(theta, T) {
    var P = plane.P, G = P.grid, side = P.panelGrid, nOut = plane.nOut, outAct = activations()[NL - 2];
    var S = plane.set, acts = forward(theta, gridInputs(G), G * G), neurons = [];
    // Inputs that are the plane's x and y need no map; features of it have one each.
    for (var l = plane.mapped ? 0 : 1; l < NL; l++) {
      var n = L[l], a = acts[l], name = l ? activations()[l - 1] : "linear";
      for (var k = 0; k < n; k++) (function (a, k, n, name) {
        var top = 0;
        if (name !== "sigmoid" && name !== "tanh") for (var j = 0; j < G * G; j++) top = Math.max(top, Math.abs(a[j * n + k]));
        var levelOf = l === NL - 1 && n === 1 ? outputLevel : signedLevel;
        neurons[layerStart[l] + k] = imageOf(G, function (j) { return divergingAt(T, levelOf(a[j * n + k] || 0, name, top)); });
      })(a, k, n, name);
    }
    var out = forward(theta, gridInputs(side), side * side)[NL - 1], panel;
    if (nOut === 1) {
      var top = 0;
      if (outAct !== "sigmoid" && outAct !== "tanh") for (var j = 0; j < side * side; j++) top = Math.max(top, Math.abs(out[j]));
      panel = imageOf(side, function (j) { return divergingAt(T, outputLevel(out[j] || 0, outAct, top)); });
    } else {
      panel = imageOf(side, function (j) {
        var best = 0, p = [], o = j * nOut;
        for (var k = 0; k < nOut; k++) p.push((signedLevel(out[o + k] || 0, outAct, 1) + 1) / 2);
        for (k = 1; k < nOut; k++) if (p[k] > p[best]) best = k;
        var second = -Infinity;
        for (k = 0; k < nOut; k++) if (k !== best) second = Math.max(second, p[k]);
        var i = 3 * (best * P.tableSteps + tableIndex(Math.sqrt(Math.max(p[best] - second, 0)), 0));
        return [T.classes[i], T.classes[i + 1], T.classes[i + 2]];
      });
    }
    // which points the network gets wrong (scene.plane.misclassified)
    var wrong = new Uint8Array(S.n);
    if (S.S.classification && S.n) {
      var po = forward(theta, S.inputs, S.n)[NL - 1];
      for (var r = 0; r < S.n; r++) {
        if (nOut === 1) wrong[r] = (signedLevel(po[r], outAct, 1) > 0) !== (S.targets[r] > 0.5) ? 1 : 0;
        else {
          var bo = 0, bt = 0;
          for (var k = 1; k < nOut; k++) {
            if (po[r * nOut + k] > po[r * nOut + bo]) bo = k;
            if (S.targets[r * nOut + k] > S.targets[r * nOut + bt]) bt = k;
          }
          wrong[r] = bo !== bt ? 1 : 0;
        }
      }
    }
    return { neurons: neurons, panel: panel, wrong: wrong };
  }

  function thetaAt(frame) { return thetas.subarray(frame * NP, (frame + 1) * NP); }
  function edgeWeights(theta) {
    var w = new Float64Array(NE);
    for (var e = 0; e < NE; e++) w[e] = theta[weightIndex[e]];
    return w;
  }

  // ---- one frame, as paint_frame draws it
  function font(px) { return px + "px system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"; }

  function draw() {
    var T = D.themes[state.theme], lay = geo.lay, W = lay.width, H = lay.height;
    var ctx = ui.canvas.getContext("2d"), dpr = ui.canvas.width / W;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.fillStyle = rgb(T.background);
    ctx.fillRect(0, 0, W, H);
    var theta = thetaAt(state.frame), w = edgeWeights(theta), shown = shownEdges(w);
    var choice = rowChoices()[state.row], x = choice.x, acts = null;
    if (x) acts = forward(theta, Float64Array.from(x), 1);
    var think = state.think, values = new Float64Array(NN).fill(NaN);
    if (acts) for (var l = 0; l < NL; l++) for (var k = 0; k < L[l]; k++) values[layerStart[l] + k] = acts[l][k];
    var progress = think ? think.progress : null;
    if (progress !== null && acts) for (var n = 0; n < NN; n++) {
      var lit = layerOf[n] === 0 ? 1 : Math.max(0, Math.min(1, progress - layerOf[n] + 1));
      if (lit <= 0.999) values[n] = NaN;
    }
    if (plane) {
      var key = state.frame + "/" + state.theme;
      plane.set = plane.sets[plane.P.frameSet[state.frame]];  // the points this epoch was trained on
      if (mapsKey !== key) { maps = computeMaps(theta, T); mapsKey = key; }
    }
    var look = lay.looks[state.theme];
    replay(ctx, (progress !== null && acts ? look.thinkLegend : look.legend)[D.frameActivations[state.frame]]);
    drawNames(ctx, T, lay.names);
    var nShown = 0, ranks = new Int32Array(NE);
    for (var e = 0; e < NE; e++) {
      if (shown && !shown[e]) { ranks[e] = -1; continue; }
      ranks[e] = level(w[e]) * 2 + (w[e] < 0 ? 1 : 0);
      nShown++;
    }
    drawSynapses(ctx, T, w, ranks, nShown, progress !== null && acts ? D.thinkEdgeAlpha : 1);
    root.dataset.synapsesShown = nShown;
    if (progress !== null && acts) drawSignal(ctx, T, w, values, acts, shown, progress);
    drawAbove(ctx, T);
    drawNeurons(ctx, T, values);
    drawNotes(ctx, T, acts, choice, progress);
    if (plane) drawPanel(ctx, T, look);
    var captionWidth = drawCaption(ctx, T);
    if (nShown < NE) drawDetailNote(ctx, T, nShown, captionWidth, W);
    if (lay.spark) drawSpark(ctx, T, lay.spark);
    if (state.hover !== null && hasMap(state.hover)) drawEnlarged(ctx, T, state.hover, W, H);
    drawLoss(T);
    expose(w);
  }

  function drawSynapses(ctx, T, w, ranks, nShown, edgeAlpha) {
    var seg = geo.seg, lay = geo.lay, dens = density(nShown), fade = edgeAlpha * Math.max(0.35, dens);
    var shrink = Math.min(1, Math.max(0.3, lay.radius / 30)) * dens, bg = T.background;
    var byRank = [];
    for (var r = 0; r < 2 * LEVELS; r++) byRank.push([]);
    for (var e = 0; e < NE; e++) if (ranks[e] >= 0) byRank[ranks[e]].push(e);
    ctx.lineCap = "butt";
    for (r = 0; r < 2 * LEVELS; r++) {
      var list = byRank[r];
      if (!list.length) continue;
      var bucket = (r >> 1) + (r & 1 ? LEVELS : 0), c = T.buckets[bucket], a = c[3] / 255 * fade;
      ctx.strokeStyle = rgb([0, 1, 2].map(function (k) { return Math.round(bg[k] + (c[k] - bg[k]) * a); }));
      // Under Think's signal every weight is a thin, faint line (painter._bucket_pens).
      ctx.lineWidth = edgeAlpha < 1 ? S.minLineWidth : Math.max(S.minLineWidth, 1 + (S.widths[bucket] - 1) * shrink);
      ctx.beginPath();
      for (var j = 0; j < list.length; j++) {
        var o = 4 * list[j];
        ctx.moveTo(seg[o], seg[o + 1]);
        ctx.lineTo(seg[o + 2], seg[o + 3]);
      }
      ctx.stroke();
    }
  }

  function drawSignal(ctx, T, w, values, acts, shown, progress) {
    // The forward pass in flight (scene.build_scene's Think): each synapse carries w * a.
    var seg = geo.seg, carried = new Float64Array(NE), layerMax = new Float64Array(NL), flat = [];
    for (var l = 0; l < NL; l++) for (var k = 0; k < L[l]; k++) flat.push(isFinite(acts[l][k]) ? acts[l][k] : 0);
    for (var e = 0; e < NE; e++) {
      carried[e] = w[e] * flat[edgeSource[e]];
      layerMax[edgeLayer[e]] = Math.max(layerMax[edgeLayer[e]], Math.abs(carried[e]));
    }
    ctx.lineCap = "round";
    for (e = 0; e < NE; e++) {
      var travelled = Math.max(0, Math.min(1, progress - edgeLayer[e]));
      var strength = Math.abs(carried[e]) / Math.max(layerMax[edgeLayer[e]], 1e-12);
      if (travelled <= 0 || strength <= 0.02 || (shown && !shown[e])) continue;
      var lv = Math.min(Math.floor(strength * 4), 3), o = 4 * e;
      ctx.strokeStyle = rgb(carried[e] < 0 ? T.negative : T.positive, (150 + 35 * lv) / 255);
      ctx.lineWidth = 2 + 2.5 * lv;
      ctx.beginPath();
      ctx.moveTo(seg[o], seg[o + 1]);
      ctx.lineTo(seg[o] + (seg[o + 2] - seg[o]) * travelled, seg[o + 1] + (seg[o + 3] - seg[o + 1]) * travelled);
      ctx.stroke();
    }
  }

  function drawNeurons(ctx, T, values) {
    var lay = geo.lay, c = lay.centres, radii = lay.radii;
    drawDots(ctx, T, values);
    ctx.lineWidth = 1.25;
    ctx.strokeStyle = rgb(T.muted);
    for (var n = 0; n < NN; n++) {
      var x = c[2 * n], y = c[2 * n + 1], r = radii[n], f = fill(values[n], T);
      if (r < 3) continue;
      ctx.beginPath();
      ctx.arc(x, y, r, 0, 2 * Math.PI);
      if (hasMap(n)) {
        ctx.save(); ctx.clip(); ctx.imageSmoothingEnabled = true;
        ctx.drawImage(maps.neurons[n], x - r, y - r, 2 * r, 2 * r); ctx.restore();
      } else { ctx.fillStyle = rgb(f); ctx.fill(); }
      ctx.stroke();
    }
    ctx.textAlign = "center"; ctx.textBaseline = "alphabetic";
    for (n = 0; n < NN; n++) {
      r = radii[n];
      if (r < 9 || !(values[n] === values[n]) || hasMap(n)) continue;
      var px = Math.max(9, Math.floor(r * 0.55));
      ctx.font = font(px);
      ctx.fillStyle = darkText(fill(values[n], T)) ? "#111111" : "#ffffff";
      ctx.fillText(short(values[n]), c[2 * n], c[2 * n + 1] - px * D.font.height / 2 + px * D.font.ascent);
    }
  }

  function drawDots(ctx, T, values) {
    // Neurons too small for an outline, in 8 fill levels a channel, one path each (painter._paint_dots).
    var lay = geo.lay, c = lay.centres, groups = {};
    for (var n = 0; n < NN; n++) {
      if (lay.radii[n] >= 3) continue;
      var f = fill(values[n], T), code = ((f[0] >> 5) * 8 + (f[1] >> 5)) * 8 + (f[2] >> 5);
      (groups[code] = groups[code] || []).push(n);
    }
    Object.keys(groups).forEach(function (code) {
      var k = +code, list = groups[code];
      ctx.fillStyle = rgb([(k >> 6) * 32 + 16, ((k >> 3) & 7) * 32 + 16, (k & 7) * 32 + 16]);
      ctx.beginPath();
      for (var j = 0; j < list.length; j++) {
        var m = list[j], r = lay.radii[m];
        ctx.moveTo(c[2 * m] + r, c[2 * m + 1]);
        ctx.arc(c[2 * m], c[2 * m + 1], r, 0, 2 * Math.PI);
      }
      ctx.fill();
    });
  }

  // ---- text and keys placed by Python (the painter's layout, measured with its fonts)
  function drawNames(ctx, T, names) {
    ctx.fillStyle = rgb(T.text); ctx.textBaseline = "alphabetic";
    names.forEach(function (b) { ctx.font = font(b[3]); ctx.textAlign = b[4]; ctx.fillText(b[0], b[1], b[2]); });
  }
  function drawAbove(ctx, T) {
    // Names above hidden neurons, each on a patch of background over the synapses that pass there.
    var above = geo.lay.above;
    ctx.fillStyle = rgb(T.background);
    above.forEach(function (b) { var p = b[5]; ctx.fillRect(p[0], p[1], p[2], p[3]); });
    drawNames(ctx, T, above);
  }
  function replay(ctx, items) {
    // Shapes recorded from the painter's own key (netviz.export.html.ShapeList).
    ctx.textBaseline = "alphabetic";
    items.forEach(function (it) {
      if (it[0] === "text") {
        ctx.font = font(it[4]); ctx.fillStyle = rgba(it[5]); ctx.textAlign = it[6]; ctx.fillText(it[3], it[1], it[2]);
      } else if (it[0] === "line") {
        ctx.strokeStyle = rgba(it[6]); ctx.lineWidth = it[5]; ctx.lineCap = it[7];
        ctx.beginPath(); ctx.moveTo(it[1], it[2]); ctx.lineTo(it[3], it[4]); ctx.stroke();
      } else if (it[0] === "disc") {
        ctx.fillStyle = rgba(it[4]); ctx.strokeStyle = rgba(it[5]); ctx.lineWidth = it[6];
        ctx.beginPath(); ctx.arc(it[1], it[2], it[3], 0, 2 * Math.PI); ctx.fill(); ctx.stroke();
      } else if (it[0] === "rect") {
        ctx.fillStyle = rgba(it[5]); ctx.fillRect(it[1], it[2], it[3], it[4]);
        ctx.strokeStyle = rgba(it[6]); ctx.lineWidth = it[7]; ctx.strokeRect(it[1], it[2], it[3], it[4]);
      }
    });
  }
  function rgba(c) { return rgb(c, c[3] / 255); }

  function drawNotes(ctx, T, acts, choice, progress) {
    // The prediction and target right of a single output, in the layout's note box (render.labels.paint_notes).
    var box = geo.lay.note;
    if (!acts || !box || L[NL - 1] !== 1 || (progress !== null && progress < NL - 1 - 1e-9)) return;
    var target = choice.target ? fmtG(choice.target[0], 6) : "—";
    var lines = ["prediction " + fmtG(acts[NL - 1][0], 5), "target " + target], y = box[1], size = box[3];
    ctx.fillStyle = rgb(T.text); ctx.textAlign = "left"; ctx.textBaseline = "alphabetic";
    lines.forEach(function (line) {
      ctx.font = font(size);
      var width = ctx.measureText(line).width, px = width > box[2] ? Math.max(1, Math.floor(size * box[2] / width)) : size;
      ctx.font = font(px);
      ctx.fillText(line, box[0], y + px * D.font.ascent);
      y += size * D.font.height;
    });
  }

  function drawCaption(ctx, T) {
    var name = D.frameNames && D.frameNames[state.frame] ? " (" + D.frameNames[state.frame] + ")" : "";
    var cap = geo.lay.caption, text = "epoch " + D.epochs[state.frame].toLocaleString("en-US") + name + "    " + D.lossText[state.frame];
    ctx.font = font(cap.size); ctx.fillStyle = rgb(T.text); ctx.textAlign = "left"; ctx.textBaseline = "alphabetic";
    ctx.fillText(text, cap.x, cap.y);
    return ctx.measureText(text).width;
  }
  function drawDetailNote(ctx, T, nShown, captionWidth, W) {
    // Right of the caption, shorter and smaller where it leaves less room (painter._paint_detail_note).
    var band = geo.lay.caption.band, room = W - 48 - captionWidth;
    for (var t = 0; t < D.detailNotes.length; t++) {
      var note = D.detailNotes[t].replace("{shown:,}", nShown.toLocaleString("en-US")).replace("{all:,}", NE.toLocaleString("en-US"));
      for (var size = 12; size >= 9; size--) {
        ctx.font = font(size);
        if (ctx.measureText(note).width > room) continue;
        ctx.fillStyle = rgb(T.muted); ctx.textAlign = "right"; ctx.textBaseline = "alphabetic";
        ctx.fillText(note, W - 16, band[0] + band[1] / 2 - size * D.font.height / 2 + size * D.font.ascent);
        return;
      }
    }
  }
  function drawSpark(ctx, T, sp) {
    // The loss inset (legend.paint_loss_curve): the run's curve, laid out by Python, and this epoch's cursor.
    var r = sp.rect;
    ctx.strokeStyle = rgb(T.muted); ctx.lineWidth = 1; ctx.strokeRect(r[0], r[1], r[2], r[3]);
    if (D.lastEpoch < 1 || !sp.x.length) return;
    ctx.strokeStyle = rgb(T.text); ctx.lineWidth = 1.25; ctx.lineJoin = "round"; ctx.beginPath();
    ctx.moveTo(sp.x[0], sp.y[0]);
    for (var k = 1; k < sp.x.length; k++) ctx.lineTo(sp.x[k], sp.y[k]);
    ctx.stroke();
    ctx.font = font(sp.size); ctx.fillStyle = rgb(T.muted); ctx.textAlign = "right"; ctx.textBaseline = "alphabetic";
    ctx.fillText("loss (log)", r[0] + r[2] - 4, r[1] + 2 + sp.size * D.font.ascent);
    var cx = r[0] + 2 + (r[2] - 4) * Math.min(Math.max(D.epochs[state.frame], 0), D.lastEpoch) / D.lastEpoch;
    ctx.strokeStyle = rgb(T.signal); ctx.lineWidth = 2; ctx.lineCap = "butt";
    ctx.beginPath(); ctx.moveTo(cx, r[1] + 1); ctx.lineTo(cx, r[1] + r[3] - 1); ctx.stroke();
  }

  function drawPanel(ctx, T, look) {
    var b = geo.lay.panel, S = plane.set, e = S.S.extent, x0 = b[0], y0 = b[1], side = b[2];
    ctx.imageSmoothingEnabled = true;
    ctx.drawImage(maps.panel, x0, y0, side, side);
    var colours = bytesOf(S.S.colours[state.theme]), r = S.S.pointRadius;
    for (var pass = 0; pass < 2; pass++) {
      ctx.lineWidth = pass ? Math.max(2, r * 0.6) : 1;
      ctx.strokeStyle = rgb(T.text, pass ? 1 : 200 / 255);
      for (var k = 0; k < S.n; k++) {
        if (maps.wrong[k] !== pass) continue;
        var px = x0 + (S.points[2 * k] - e[0]) / (e[1] - e[0]) * side;
        var py = y0 + side - (S.points[2 * k + 1] - e[2]) / (e[3] - e[2]) * side;
        ctx.fillStyle = rgb([colours[3 * k], colours[3 * k + 1], colours[3 * k + 2]]);
        ctx.beginPath(); ctx.arc(px, py, r + pass, 0, 2 * Math.PI); ctx.fill(); ctx.stroke();
      }
    }
    ctx.lineWidth = 1; ctx.strokeStyle = rgb(T.muted);
    ctx.strokeRect(x0, y0, side, side);
    var ascent = 12 * D.font.ascent;
    ctx.font = font(12); ctx.fillStyle = rgb(T.text); ctx.textAlign = "center"; ctx.textBaseline = "alphabetic";
    // Inputs made of features: the plane is their points' x and y.
    var xName = plane.mapped ? "x" : D.labels[0], yName = plane.mapped ? "y" : D.labels[1];
    ctx.fillText(xName, x0 + side / 2, y0 + side + 2 + ascent);
    ctx.save(); ctx.translate(x0 - 4, y0 + side / 2); ctx.rotate(-Math.PI / 2);
    ctx.fillText(yName, 0, -16 + ascent); ctx.restore();
    var out = layerStart[NL - 1];
    if (look.classKey) replay(ctx, look.classKey);
    else ctx.fillText(D.labels[out] + " over (" + xName + ", " + yName + ")", x0 + side / 2, y0 - 18 + ascent);
  }

  function drawEnlarged(ctx, T, n, W, H) {
    var c = geo.lay.centres, side = 150, x = c[2 * n], y = c[2 * n + 1], r = geo.lay.radii[n];
    var left = Math.min(Math.max(4, x + r + 8), W - side - 4), top = Math.min(Math.max(4, y - side / 2), H - side - 4);
    ctx.drawImage(maps.neurons[n], left, top, side, side);
    ctx.lineWidth = 1; ctx.strokeStyle = rgb(T.text); ctx.strokeRect(left, top, side, side);
    ctx.font = font(12); ctx.fillStyle = rgb(T.text); ctx.textAlign = "center"; ctx.textBaseline = "alphabetic";
    ctx.fillText(D.labels[n], left + side / 2, top + side + 2 + 12 * D.font.ascent);
  }

  // ---- the loss curve with its cursor; click or drag to choose an epoch
  var logAxis = D.lastEpoch > 1000;
  function axisX(epoch) {
    var last = Math.max(D.lastEpoch, 1);
    return logAxis ? Math.log1p(epoch) / Math.log1p(last) : epoch / last;
  }
  function logValues(values) { return values.map(function (v) { return v !== null && v > 0 ? Math.log10(v) : NaN; }); }
  function drawLoss(T) {
    var c = ui.loss, cssW = c.clientWidth || geo.lay.width, cssH = 72, dpr = window.devicePixelRatio || 1;
    if (c.width !== Math.round(cssW * dpr)) { c.width = Math.round(cssW * dpr); c.height = Math.round(cssH * dpr); }
    var ctx = c.getContext("2d");
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.fillStyle = rgb(T.background); ctx.fillRect(0, 0, cssW, cssH);
    var left = 4, top = 4, w = cssW - 8, h = cssH - 22, E = D.loss.epochs, lo = Infinity, hi = -Infinity;
    var curves = [logValues(D.loss.values)].concat(D.loss.test ? [logValues(D.loss.test)] : []);
    curves.forEach(function (ys) { ys.forEach(function (y) { if (y === y) { lo = Math.min(lo, y); hi = Math.max(hi, y); } }); });
    ctx.strokeStyle = rgb(T.muted); ctx.lineWidth = 1; ctx.strokeRect(left + 0.5, top + 0.5, w, h);
    ctx.font = font(10); ctx.textBaseline = "top";
    var title = lo > hi ? "loss unknown" : D.loss.test ? "loss, test loss dashed (log)" : "loss (log)";
    // Lines pass under the title: right of titleLeft nothing is drawn above titleBottom.
    var titleLeft = left + w - 4 - ctx.measureText(title).width - 2, titleBottom = top + 2 + 10 * D.font.height + 1;
    // Each edit of the run, where its segment starts.
    ctx.setLineDash([2, 3]);
    D.edits.forEach(function (edit) {
      var x = left + 2 + (w - 4) * axisX(edit.epoch);
      ctx.beginPath(); ctx.moveTo(x, x >= titleLeft ? titleBottom : top + 1); ctx.lineTo(x, top + h); ctx.stroke();
    });
    var span = hi > lo ? hi - lo : 1, height = h - 6;
    curves.forEach(function (ys) {  // as legend.loss_curve_points: flattened where the loss is high under the title
      for (var j = 0; j < E.length; j++) {
        var t = (ys[j] - lo) / span;
        if (t > 0 && left + 2 + (w - 4) * axisX(E[j]) >= titleLeft) height = Math.min(height, (top + h - 3 - titleBottom) / t);
      }
    });
    curves.forEach(function (ys, k) {
      ctx.strokeStyle = rgb(k ? T.negative : T.text); ctx.lineWidth = 1.25; ctx.setLineDash(k ? [4, 3] : []);
      ctx.beginPath();
      var started = false;
      for (var j = 0; j < E.length; j++) {
        if (!(ys[j] === ys[j])) { started = false; continue; }
        var x = left + 2 + (w - 4) * axisX(E[j]), y = top + h - 3 - height * (ys[j] - lo) / span;
        if (started) ctx.lineTo(x, y); else { ctx.moveTo(x, y); started = true; }
      }
      ctx.stroke();
    });
    ctx.setLineDash([]);
    ctx.fillStyle = rgb(T.muted); ctx.textAlign = "right";
    ctx.fillText(title, left + w - 4, top + 2);
    ctx.fillText((logAxis ? "log epochs, last " : "epochs, last ") + D.lastEpoch.toLocaleString("en-US"), left + w, top + h + 4);
    ctx.textAlign = "left"; ctx.fillText("0", left, top + h + 4);
    var cx = left + 2 + (w - 4) * axisX(D.epochs[state.frame]);
    ctx.fillStyle = rgb(T.signal); ctx.fillRect(cx - 1, top + 1, 2, h - 1);
  }
  function editShown() {
    // The caption of the last edit the shown epoch has passed ("epoch 3,000: learning rate 1 → 0.1").
    var text = "", epoch = D.epochs[state.frame];
    D.edits.forEach(function (edit) { if (edit.epoch <= epoch) text = edit.text; });
    return text;
  }
  function frameNearX(clientX) {
    var box = ui.loss.getBoundingClientRect(), t = (clientX - box.left - 6) / Math.max(1, box.width - 12), best = 0;
    for (var f = 1; f < NF; f++) if (Math.abs(axisX(D.epochs[f]) - t) < Math.abs(axisX(D.epochs[best]) - t)) best = f;
    return best;
  }

  // ---- hover: the synapse or neuron under the pointer (Geometry.neuron_at / edge_at)
  function designPoint(ev) {
    var box = ui.canvas.getBoundingClientRect(), lay = geo.lay;
    return [(ev.clientX - box.left) * lay.width / box.width, (ev.clientY - box.top) * lay.height / box.height, box];
  }
  function neuronAt(x, y) {
    var c = geo.lay.centres, best = -1, bd = Infinity;
    for (var n = 0; n < NN; n++) {
      var d = (c[2 * n] - x) * (c[2 * n] - x) + (c[2 * n + 1] - y) * (c[2 * n + 1] - y);
      if (d < bd) { bd = d; best = n; }
    }
    var r = Math.max(geo.lay.radii[best], 4);
    return bd <= r * r ? best : null;
  }
  function edgeAt(x, y) {
    var seg = geo.seg, best = -1, bd = Infinity;
    for (var e = 0; e < NE; e++) {
      var o = 4 * e, ax = seg[o], ay = seg[o + 1], dx = seg[o + 2] - ax, dy = seg[o + 3] - ay;
      var t = Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / Math.max(dx * dx + dy * dy, 1e-12)));
      var px = ax + dx * t - x, py = ay + dy * t - y, d = px * px + py * py;
      if (d < bd) { bd = d; best = e; }
    }
    return bd <= 16 ? best : null;
  }
  // Quantised weights (a large network's page) are good to a step of 7.6%: say so, with two digits.
  var exact = D.thetas.encoding === "f32";
  function param(v) { return exact ? fmtG(v, 5) : "≈ " + fmtG(v, 2); }
  function tipText(x, y) {
    var theta = thetaAt(state.frame), n = neuronAt(x, y);
    var choice = rowChoices()[state.row];
    if (n !== null) {
      var lines = [D.labels[n]];
      if (choice.x) lines.push("activation " + fmtG(forward(theta, Float64Array.from(choice.x), 1)[layerOf[n]][n - layerStart[layerOf[n]]], 5));
      if (biasIndex[n] >= 0) lines.push("bias " + param(theta[biasIndex[n]]));
      if (layerOf[n] > 0 && !D.bias) lines.push("no bias");
      return { text: lines.join("\n"), neuron: n };
    }
    var e = edgeAt(x, y);
    if (e === null) return null;
    return { text: D.labels[edgeSource[e]] + " → " + D.labels[edgeTarget[e]] + "\nweight " + param(theta[weightIndex[e]]), neuron: null };
  }
  function onHover(ev) {
    var p = designPoint(ev), tip = tipText(p[0], p[1]), hover = tip ? tip.neuron : null;
    if (hover !== state.hover) { state.hover = hover; dirty = true; }
    if (!tip) { ui.tip.style.display = "none"; return; }
    ui.tip.textContent = tip.text;
    ui.tip.style.display = "block";
    var sx = ev.clientX - p[2].left, sy = ev.clientY - p[2].top;
    // Beside the pointer; left of it over a neuron whose map opens on its right.
    var mapOpen = hover !== null && hasMap(hover);
    var left = mapOpen ? sx - ui.tip.offsetWidth - 14 : sx + 14;
    ui.tip.style.left = Math.max(2, Math.min(left, p[2].width - ui.tip.offsetWidth - 2)) + "px";
    ui.tip.style.top = (sy + 16 + ui.tip.offsetHeight > p[2].height ? sy - ui.tip.offsetHeight - 8 : sy + 16) + "px";
  }

  // ---- state for tests and scripts: data attributes on the player, and a small API
  function expose(w) {
    ui.canvas.setAttribute("aria-label", "the network " + L.join("-") + " at epoch " + D.epochs[state.frame]);
    root.dataset.frame = state.frame;
    root.dataset.epoch = D.epochs[state.frame];
    root.dataset.playing = state.playing ? "true" : "false";
    root.dataset.theme = state.theme;
    root.dataset.row = state.row;
    root.dataset.think = state.think ? "true" : "false";
    root.dataset.thinkLayer = state.think ? Math.floor(state.think.progress) : "";
    root.dataset.caption = "epoch " + D.epochs[state.frame].toLocaleString("en-US") + "    " + D.lossText[state.frame];
    if (NE <= 2000) root.dataset.weights = JSON.stringify(Array.from(w));
  }

  function show(frame) {
    state.frame = Math.max(0, Math.min(NF - 1, frame | 0));
    state.pos = state.frame;
    ui.scrub.value = state.frame;
    state.think = null;
    ui.thinkButton.setAttribute("aria-pressed", "false");
    dirty = true;
  }
  function setPlaying(on) {
    if (on && state.frame >= NF - 1) show(0);
    state.playing = on;
    if (on) { state.think = null; ui.thinkButton.setAttribute("aria-pressed", "false"); }
    ui.play.textContent = on ? "Pause" : "Play";
    ui.play.setAttribute("aria-pressed", on ? "true" : "false");
    lastTick = 0;
    dirty = true;
  }
  function setTheme(name) {
    state.theme = name;
    ui.theme.value = name;
    var T = D.themes[name];
    root.style.setProperty("--nv-bg", rgb(T.background));
    root.style.setProperty("--nv-text", rgb(T.text));
    root.style.setProperty("--nv-muted", rgb(T.muted));
    root.style.setProperty("--nv-accent", rgb(T.positive));
    if (root.parentElement === document.body && document.body.dataset.netvizPage !== undefined)
      document.body.style.background = rgb(T.background);  // a page of its own: no white margins
    dirty = true;
  }
  function startThink() {
    if (!rowChoices()[state.row].x) { state.row = Math.min(1, rowChoices().length - 1); ui.row.value = state.row; }
    if (!rowChoices()[state.row].x) return;
    setPlaying(false);
    state.think = { start: performance.now(), progress: 0 };
    ui.thinkButton.setAttribute("aria-pressed", "true");
    dirty = true;
  }

  function tick(now) {
    if (state.playing) {
      if (lastTick) state.pos += (now - lastTick) / 1000 * state.speed;
      lastTick = now;
      if (state.pos >= NF - 1) { state.pos = NF - 1; setPlaying(false); }
      var f = Math.floor(state.pos);
      if (f !== state.frame) { state.frame = f; ui.scrub.value = f; dirty = true; }
    }
    if (state.think && state.think.progress < NL - 1) {
      // A frame's time is when the frame began, which may be before the click that started Think.
      state.think.progress = Math.max(0, Math.min(NL - 1, (now - state.think.start) / 700));
      dirty = true;
    }
    if (dirty) {
      dirty = false;
      draws++;
      ui.epoch.textContent = "epoch " + D.epochs[state.frame].toLocaleString("en-US");
      ui.edit.textContent = editShown();
      draw();
    }
    requestAnimationFrame(tick);
  }

  function wire() {
    ui.play.addEventListener("click", function () { setPlaying(!state.playing); });
    ui.scrub.addEventListener("input", function () { show(+ui.scrub.value); });
    ui.speed.addEventListener("change", function () { state.speed = +ui.speed.value; });
    ui.row.addEventListener("change", function () { state.row = +ui.row.value; state.think = null; dirty = true; });
    ui.theme.addEventListener("change", function () { setTheme(ui.theme.value); });
    ui.thinkButton.addEventListener("click", function () {
      if (state.think) { state.think = null; ui.thinkButton.setAttribute("aria-pressed", "false"); dirty = true; }
      else startThink();
    });
    ui.canvas.addEventListener("mousemove", onHover);
    ui.canvas.addEventListener("mouseleave", function () {
      ui.tip.style.display = "none"; if (state.hover !== null) { state.hover = null; dirty = true; }
    });
    var dragging = false;
    ui.loss.addEventListener("pointerdown", function (ev) { dragging = true; setPlaying(false); show(frameNearX(ev.clientX)); });
    ui.loss.addEventListener("pointermove", function (ev) { if (dragging) show(frameNearX(ev.clientX)); });
    window.addEventListener("pointerup", function () { dragging = false; });
    root.tabIndex = 0;
    root.addEventListener("keydown", function (ev) {
      if (ev.target.tagName === "SELECT") return;
      if (ev.key === " ") { setPlaying(!state.playing); ev.preventDefault(); }
      else if (ev.key === "ArrowRight") { setPlaying(false); show(state.frame + 1); ev.preventDefault(); }
      else if (ev.key === "ArrowLeft") { setPlaying(false); show(state.frame - 1); ev.preventDefault(); }
    });
    if (window.ResizeObserver) new ResizeObserver(function () { chooseLayout(); dirty = true; }).observe(root);
  }

  buildUi();
  state.row = defaultRow();
  ui.row.value = state.row;
  plane = planeSetup();
  inflate(D.thetas.data).then(function (raw) {
    thetas = decodeThetas(raw);
    chooseLayout();
    setTheme(D.theme);
    wire();
    root.netviz = {
      show: show, play: function () { setPlaying(true); }, pause: function () { setPlaying(false); },
      theme: setTheme, think: startThink, frames: NF,
      get draws() { return draws; },
      // Milliseconds per drawn frame over n frames, for the benchmark.
      frameMs: function (n) {
        var shown = state.frame, t0 = performance.now();
        for (var k = 0; k < n; k++) { state.frame = k % NF; mapsKey = null; draw(); }
        var ms = (performance.now() - t0) / n;
        show(shown);
        return ms;
      },
    };
    root.dataset.ready = "true";
    requestAnimationFrame(tick);
  });
})();

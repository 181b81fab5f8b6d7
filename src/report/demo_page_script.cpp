// demo.html's style sheet, panels and script as C++ raw strings, so ./mnist needs nothing beside it. The script
// ports preprocess_digit (data/preprocess.cpp), the inference pass of nn/mlp.cpp, Eq. (1)-(5), and the integer
// inference of quant/int8_model.cpp, Eq. (36)-(37), step for step, not a second design of any;
// demo.html#selftest draws through its own pointer handlers for tests/browser/demo_page_test.py.
// See docs/14-draw-a-digit.md.
#include "report/demo_page_script.h"

namespace mnist {

const char* demo_page_style() {
    return R"css(:root{color-scheme:light}
body{font-family:system-ui,-apple-system,"Segoe UI",Helvetica,Arial,sans-serif;color:#222;background:#f7f7f5;
max-width:1080px;margin:0 auto;padding:0.5em 1em 2em;line-height:1.4}
h1{margin:0.3em 0 0.1em}h2{font-size:1.05em;margin:0 0 0.5em}
.lead{margin:0 0 1em;color:#444}.warning{color:#a00;font-weight:bold}
.note{font-size:13px;color:#555;max-width:60em}
section{background:#fff;border:1px solid #e2e2de;border-radius:10px;padding:12px 14px;margin:0 0 14px}
.panels{display:flex;flex-wrap:wrap;gap:14px;align-items:flex-start}
.panels section{margin:0}
#pad-panel{flex:0 0 auto}#result-panel{flex:1 1 300px}
.result{display:flex;gap:16px;align-items:flex-start}#answer-box{flex:1 1 auto;min-width:0}
#pad{display:block;width:280px;max-width:86vw;height:auto;aspect-ratio:1;background:#000;border-radius:6px;
touch-action:none;cursor:crosshair;user-select:none;-webkit-user-select:none;-webkit-touch-callout:none}
.controls{display:flex;gap:10px;align-items:center;margin:10px 0 0;min-height:2.2em}
button{font:inherit;padding:6px 16px;border:1px solid #bbb;border-radius:6px;background:#fafafa;cursor:pointer}
button:hover{background:#eee}
#status{font-size:14px;color:#333}
#seen{display:block;width:168px;height:168px;image-rendering:pixelated;background:#000;border-radius:4px}
.bar{display:grid;grid-template-columns:1.4em 1fr 4.2em;align-items:center;gap:8px;margin:3px 0;
font-variant-numeric:tabular-nums}
.bar .digit{font-weight:bold;text-align:center}
.bar .track{height:18px;background:#eef0f3;border-radius:4px;overflow:hidden}
.bar .fill{height:100%;width:0;background:#7b93b8}
.bar.best .fill{background:#e07b00}.bar.best .digit,.bar.best .value{color:#b35f00}
.bar .value{text-align:right;font-size:14px}
#units,#examples{display:flex;flex-wrap:wrap;gap:10px}
.unit{text-align:center;font-size:12px;font-variant-numeric:tabular-nums;width:76px;white-space:pre-line}
.unit canvas{display:block;width:76px;height:76px;image-rendering:pixelated;background:#000;border-radius:3px}
#examples button{padding:4px;text-align:center;font-size:12px;line-height:1.3}
#examples canvas{display:block;width:56px;height:56px;image-rendering:pixelated;background:#000;margin:0 auto 3px}
code{font-size:0.95em}
@media (max-width:620px){body{padding:0.3em 0.6em 1em}section{padding:10px}#pad-panel{flex:1 1 auto}
#seen{width:84px;height:84px}.result{gap:10px}.bar{grid-template-columns:1em 1fr 3.6em;gap:5px}.bar .track{height:14px}
h1{font-size:1.6em}}
)css";
}

const char* demo_page_markup() {
    return R"html(<main>
<div class="panels">
<section id="pad-panel">
<h2>Your digit</h2>
<canvas id="pad" width="280" height="280" aria-label="drawing pad: draw a digit here"></canvas>
<p class="controls"><button type="button" id="clear">Clear</button> <span id="status">Loading the network&hellip;</span></p>
</section>
<section id="result-panel">
<div class="result">
<div id="seen-box">
<h2>What the network sees</h2>
<canvas id="seen" width="28" height="28" aria-label="the image given to the network"></canvas>
</div>
<div id="answer-box">
<h2>Its answer</h2>
<div id="bars"></div>
</div>
</div>
<p class="note">Left: your drawing prepared as <code>mnist predict</code> prepares an image file: grey, light ink
on dark, the ink scaled to fit MNIST's 20 x 20 box with its aspect ratio kept (area averaging), the brightest
pixel made full ink, the centre of mass put at the centre of 28 x 28, rounded to bytes. Right: the softmax
output, the network's probability for each digit.</p>
</section>
</div>
<section id="units-panel">
<h2>The first hidden layer's strongest units</h2>
<p class="note">Each picture is one unit of the first hidden layer: its weights, one per pixel, orange where
ink raises the unit's output and blue where ink lowers it. Under it, the unit's number and its output (after
ReLU) for your digit: the units that answer most strongly, largest first.</p>
<div id="units"></div>
</section>
<section id="examples-panel">
<h2>Test digits</h2>
<p class="note">Digits from MNIST's test set, which the network never trained on. Click one to put it in the
pad (then draw over it, or clear it). Under each: its index in the test set, its label, and the network's
answer for the digit exactly as stored.</p>
<div id="examples"></div>
</section>
</main>
)html";
}

const char* demo_page_script() {
    return R"js('use strict';
(function () {
  // ---------------------------------------------------------------------------------------------------
  // 1. The embedded data: base64, float16, little-endian integers, and the model's layers.
  // ---------------------------------------------------------------------------------------------------
  function base64Bytes(text) {
    const binary = atob(text);
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; ++i) bytes[i] = binary.charCodeAt(i);
    return bytes;
  }

  function bytesBase64(bytes) {
    let binary = '';
    for (let i = 0; i < bytes.length; i += 0x8000) {
      binary += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
    }
    return btoa(binary);
  }

  // IEEE binary16: sign, 5-bit exponent (bias 15), 10-bit fraction; util/float16.cpp's half_to_float.
  function halfToNumber(h) {
    const sign = h & 0x8000 ? -1 : 1, exponent = (h >> 10) & 0x1f, fraction = h & 0x3ff;
    if (exponent === 0x1f) return fraction ? NaN : sign * Infinity;
    if (exponent === 0) return sign * fraction * Math.pow(2, -24);
    return sign * (1024 + fraction) * Math.pow(2, exponent - 25);
  }

  let halfTable = null;  // all 65536 float16 values, made on first use
  function decodeFloat16(bytes) {
    if (!halfTable) {
      halfTable = new Float32Array(65536);
      for (let h = 0; h < 65536; ++h) halfTable[h] = halfToNumber(h);
    }
    const out = new Float32Array(bytes.length >> 1);
    for (let i = 0; i < out.length; ++i) out[i] = halfTable[bytes[2 * i] | (bytes[2 * i + 1] << 8)];
    return out;
  }

  function decodeFloat32(bytes) {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const out = new Float32Array(bytes.length >> 2);
    for (let i = 0; i < out.length; ++i) out[i] = view.getFloat32(4 * i, true);
    return out;
  }

  // int32 (signed) or uint32 (unsigned), 4 bytes little-endian each.
  function decodeInt32(bytes, signed) {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const out = signed ? new Int32Array(bytes.length >> 2) : new Uint32Array(bytes.length >> 2);
    for (let i = 0; i < out.length; ++i) out[i] = signed ? view.getInt32(4 * i, true) : view.getUint32(4 * i, true);
    return out;
  }

  // An int8 layer (quant/int8_model.h): weights in [-127, 127] (bytes read as two's complement), biases
  // within +-2^30, multipliers below 2^31, shifts 1 to 62, as decode_int8_model requires of model-int8.bin.
  // Within those limits no int32 sum can overflow, whatever order its terms are added in.
  function int8Layer(fields) {
    const weights = new Int8Array(base64Bytes(fields.weights).buffer), bias = decodeInt32(base64Bytes(fields.bias), true);
    const multipliers = decodeInt32(base64Bytes(fields.multipliers), false), shifts = base64Bytes(fields.shifts);
    // At most 2^15 inputs per unit (kMaxInt8Inputs): |sum| < 2^15 x 127 x 255 + 2^30 < 2^31.
    let fits = multipliers.length === bias.length && shifts.length === bias.length &&
               weights.length <= 32768 * bias.length;
    for (let i = 0; i < weights.length; ++i) fits = fits && weights[i] !== -128;
    for (let j = 0; fits && j < bias.length; ++j) {
      fits = Math.abs(bias[j]) <= 1073741824 && multipliers[j] < 2147483648 && shifts[j] >= 1 && shifts[j] <= 62;
    }
    if (!fits) throw new Error('the int8 weights are outside the limits of model-int8.bin');
    return { weights: weights, bias: bias, multipliers: multipliers, shifts: shifts };
  }

  // One entry per weight encoding, the page's format tag (report/demo_page.h): how a layer's JSON fields
  // become numbers, and which forward pass runs them.
  const encodings = {
    float16: {
      layer: (fields) => ({ weights: decodeFloat16(base64Bytes(fields.weights)),
                            bias: decodeFloat32(base64Bytes(fields.bias)) }),
      forward: forwardFloat,
    },
    float32: {
      layer: (fields) => ({ weights: decodeFloat32(base64Bytes(fields.weights)),
                            bias: decodeFloat32(base64Bytes(fields.bias)) }),
      forward: forwardFloat,
    },
    int8: { layer: int8Layer, forward: forwardInt8 },
  };

  function loadModel(json) {
    if (json.format !== 'mnist-demo-weights' || json.version !== 1) {
      throw new Error('the embedded weights are not mnist-demo-weights version 1');
    }
    const encoding = encodings[json.encoding];
    if (!encoding) throw new Error('the weights are encoded as "' + json.encoding + '", which this page cannot read');
    const sizes = json.sizes;
    if (sizes.length < 2 || sizes[0] !== json.rows * json.cols || json.layers.length !== sizes.length - 1) {
      throw new Error('the embedded weights do not match their sizes');
    }
    const layers = json.layers.map((fields, l) => {
      const inputs = sizes[l], outputs = sizes[l + 1], numbers = encoding.layer(fields);
      if (numbers.weights.length !== inputs * outputs || numbers.bias.length !== outputs) {
        throw new Error('layer ' + (l + 1) + ' should have ' + inputs * outputs + ' weights and ' + outputs + ' biases');
      }
      // The weights [out x in] as stored, and transposed to [in x out] (the same number type): the forward
      // pass adds one input's weights to every unit's sum at once and skips inputs that are 0 (most pixels,
      // many hidden units).
      const byInput = new numbers.weights.constructor(inputs * outputs);
      for (let o = 0; o < outputs; ++o) {
        for (let i = 0; i < inputs; ++i) byInput[i * outputs + o] = numbers.weights[o * inputs + i];
      }
      return Object.assign({ inputs: inputs, outputs: outputs, byInput: byInput }, numbers);
    });
    if (json.encoding === 'int8' && json.score_fraction_bits !== 16) throw new Error('int8 scores other than logit x 2^16');
    return { encoding: json.encoding, rows: json.rows, cols: json.cols, sizes: sizes, layers: layers,
             forward: encoding.forward, scales: json.scales };
  }

  // ---------------------------------------------------------------------------------------------------
  // 2. The forward pass of nn/mlp.cpp in inference (no dropout), for one image.
  //    Values are stored as float32 (Float32Array) wherever the C++ program stores floats. Each unit's
  //    sum is taken in double precision, input by input; the C++ GEMM sums in float32 in blocks, so the
  //    two differ by float32 rounding (about 1e-7 of a logit), which the browser test measures.
  // ---------------------------------------------------------------------------------------------------
  const kSmallestNormal = Math.pow(2, -126);           // util/subnormal.h
  const kLogSmallestNormal = Math.fround(-87.33654);

  // 0 (with x's sign) where |x| < limit: flush_below in util/subnormal.h.
  function flushBelow(x, limit) { return Math.abs(x) < limit ? 0 * Math.sign(x) : x; }

  function forwardFloat(model, pixels) {
    let x = new Float32Array(pixels.length);
    for (let p = 0; p < pixels.length; ++p) x[p] = pixels[p] / 255;  // Eq. (1), rounded to float as / 255.0f
    const hidden = [];
    for (let l = 0; l < model.layers.length; ++l) {
      const layer = model.layers[l], outputs = layer.outputs, w = layer.byInput;
      const last = l === model.layers.length - 1;
      const sums = new Float64Array(outputs);
      for (let i = 0; i < layer.inputs; ++i) {
        const xi = x[i];
        if (xi === 0) continue;  // adds nothing
        const row = i * outputs;
        for (let o = 0; o < outputs; ++o) sums[o] += xi * w[row + o];
      }
      const out = new Float32Array(outputs);
      for (let o = 0; o < outputs; ++o) {
        const z = Math.fround(sums[o] + layer.bias[o]);                  // Eq. (2)
        const a = last || z > 0 ? z : 0;                                 // Eq. (3), ReLU, on hidden layers
        out[o] = flushBelow(a, kSmallestNormal);                         // no subnormals (GEMM write-out)
      }
      if (!last) hidden.push(out);
      x = out;
    }
    const probabilities = softmax(x);
    return { hidden: hidden, logits: x, probabilities: probabilities, label: argmax(probabilities) };
  }

  // Eq. (4): softmax_cross_entropy_forward's probabilities, operation for operation.
  function softmax(z) {
    let largest = z[0];
    for (let j = 1; j < z.length; ++j) largest = z[j] > largest ? z[j] : largest;
    const p = new Float32Array(z.length);
    let sum = 0;  // double, as in the C++
    for (let j = 0; j < z.length; ++j) {
      const d = Math.fround(z[j] - largest);
      p[j] = d < kLogSmallestNormal ? 0 : flushBelow(Math.fround(Math.exp(d)), kSmallestNormal);
      sum += p[j];
    }
    const inverse = Math.fround(1 / sum), floor = Math.fround(kSmallestNormal / inverse);
    for (let j = 0; j < z.length; ++j) p[j] = Math.fround(flushBelow(p[j], floor) * inverse);
    return p;
  }

  // argmax_row (and argmax_scores for int8 scores): the first largest.
  function argmax(values) {
    let best = 0;
    for (let j = 1; j < values.length; ++j) if (values[j] > values[best]) best = j;
    return best;
  }

  // ---------------------------------------------------------------------------------------------------
  // 2b. The int8 model: int8_forward of quant/int8_model.cpp, integers only, so the scores are the C++
  //     program's exactly. A JavaScript number is a double: exact for integers below 2^53, rounded above.
  //     The sums stay below 2^31 (int8Layer's limits), so they are exact as numbers and in an Int32Array.
  //     The requantisation's product |sum| x multiplier can reach 2^62, where C++ adds and shifts in uint64:
  //     above 2^53 that step is done in BigInt, exact at any size. (BigInt is called as a function, not
  //     written as 1n, so that a float page still runs in a browser without BigInt.)
  // ---------------------------------------------------------------------------------------------------
  const kInt32Max = 2147483647;
  const kTwoTo53 = 9007199254740992;

  // Eq. (37), requantize: round(sum x multiplier x 2^-shift), computed on |sum| as the C++ does in uint64,
  // so halves are rounded away from zero; saturated to int32 (-2^31 .. 2^31 - 1). Two exact ways:
  //   product below 2^53: in doubles. The product is exact; dividing by 2^shift only moves the exponent, so
  //     the quotient, its floor, and the remainder product - whole x 2^shift are exact too; a remainder of
  //     at least half of 2^shift rounds up: (product + 2^(shift-1)) >> shift, as the C++ computes it.
  //   otherwise: BigInt. Doubles would round the product itself, and a product just below a half
  //     (k 2^shift + 2^(shift-1) - 1 above 2^53) would round up onto it: one too large. The self-test's
  //     requantizeCases has such products, and products at 2^53 - 1 and 2^53, either side of the switch.
  // A double's product at or above 2^53 means the exact product is too (rounding never crosses a power of 2).
  function requantize(sum, multiplier, shift) {
    const negative = sum < 0, magnitude = negative ? -sum : sum;
    const limit = negative ? kInt32Max + 1 : kInt32Max;
    const product = magnitude * multiplier;
    let scaled;
    if (product < kTwoTo53) {
      const unit = Math.pow(2, shift), whole = Math.floor(product / unit);
      scaled = whole + (product - whole * unit >= unit / 2 ? 1 : 0);
      scaled = scaled < limit ? scaled : limit;
    } else {
      const r = BigInt(shift);
      const exact = (BigInt(magnitude) * BigInt(multiplier) + (BigInt(1) << (r - BigInt(1)))) >> r;
      scaled = exact < BigInt(limit) ? Number(exact) : limit;
    }
    return negative ? -scaled : scaled;
  }

  function forwardInt8(model, pixels) {
    let x = pixels;  // the first layer's input is the pixel bytes themselves (s_in = 1/255)
    const hidden = [];
    let scores = null, saturated = 0;  // hidden outputs beyond 255 (past the calibrated clip), for the self-test
    for (let l = 0; l < model.layers.length; ++l) {
      const layer = model.layers[l], outputs = layer.outputs, w = layer.byInput;
      const last = l === model.layers.length - 1;
      // Eq. (36): the bias plus int8 weight x byte, in int32: below 2^31 in every order (int8Layer's limits).
      const sums = Int32Array.from(layer.bias);
      for (let i = 0; i < layer.inputs; ++i) {
        const xi = x[i];
        if (xi === 0) continue;  // adds nothing
        const row = i * outputs;
        for (let o = 0; o < outputs; ++o) sums[o] += xi * w[row + o];
      }
      // Eq. (37): back to bytes, clamped to [0, 255] (the ReLU) on hidden layers; the scores on the last.
      const out = last ? new Int32Array(outputs) : new Uint8Array(outputs);
      for (let o = 0; o < outputs; ++o) {
        const value = requantize(sums[o], layer.multipliers[o], layer.shifts[o]);
        out[o] = last ? value : Math.min(Math.max(value, 0), 255);
        if (!last && value > 255) ++saturated;
      }
      if (last) scores = out;
      else hidden.push(out);
      x = out;
    }
    return { hidden: hidden, scores: scores, probabilities: int8Probabilities(scores), label: argmax(scores),
             saturated: saturated };
  }

  // int8_probabilities of cli/any_model.cpp, as predict_any uses it: Eq. (4) on the scores read as logits
  // (score / 2^16), in double, then stored as floats.
  function int8Probabilities(scores) {
    const unit = Math.pow(2, -16);
    let largest = scores[0];
    for (let j = 1; j < scores.length; ++j) largest = scores[j] > largest ? scores[j] : largest;
    const p = new Float64Array(scores.length);
    let sum = 0;
    for (let j = 0; j < scores.length; ++j) sum += p[j] = Math.exp((scores[j] - largest) * unit);
    return Float32Array.from(p, (v) => v / sum);
  }

  // ---------------------------------------------------------------------------------------------------
  // 3. Preprocessing: data/preprocess.cpp's preprocess_digit, step for step, with the same float and
  //    double operations in the same order, so that the bytes agree with `mnist predict`'s.
  // ---------------------------------------------------------------------------------------------------
  const kLumaRed = 0.299, kLumaGreen = 0.587, kLumaBlue = 0.114;
  const kNoiseDeviations = 8;

  // C's lround: to nearest, halves away from zero (Math.round takes halves up, also for negatives).
  function lround(x) { return x < 0 ? -Math.round(-x) : Math.round(x); }

  function toByte(value) {
    const clamped = value < 0 ? 0 : (value > 1 ? 1 : value);
    return lround(clamped * 255);
  }

  // image_to_grey: [height x width] grey levels in [0, 1] from samples with `channels` per pixel.
  function imageToGrey(samples, width, height, channels, maxValue) {
    const pixels = width * height, colour = channels >= 3, hasAlpha = channels === 2 || channels === 4;
    const grey = new Float32Array(pixels), alpha = new Float32Array(hasAlpha ? pixels : 0);
    let visible = 0, visibleGrey = 0;
    for (let p = 0; p < pixels; ++p) {
      const s = p * channels;
      const g = colour ? (kLumaRed * samples[s] + kLumaGreen * samples[s + 1] + kLumaBlue * samples[s + 2]) / maxValue
                       : samples[s] / maxValue;
      grey[p] = g;
      if (hasAlpha) {
        const a = samples[s + channels - 1] / maxValue;
        alpha[p] = a;
        visible += a;
        visibleGrey += a * g;
      }
    }
    if (hasAlpha) {
      const backdrop = visible > 0 && visibleGrey / visible >= 0.5 ? 0 : 1;
      for (let p = 0; p < pixels; ++p) grey[p] = Math.fround(alpha[p] * grey[p]) + (1 - alpha[p]) * backdrop;
    }
    return grey;
  }

  function borderPixels(grey, rows, cols) {
    const border = [];
    for (let r = 0; r < rows; ++r) {
      for (let c = 0; c < cols; ++c) {
        if (r === 0 || c === 0 || r + 1 === rows || c + 1 === cols) border.push(grey[r * cols + c]);
      }
    }
    return Float32Array.from(border);
  }

  // The element at index n / 2 of the sorted values (what std::nth_element finds).
  function median(values) {
    const sorted = Float32Array.from(values).sort();
    return sorted[sorted.length >> 1];
  }

  // resize_line: output value j averages the input over [j * inLength / outLength, (j + 1) * inLength / outLength).
  function resizeLine(input, inStart, inLength, inStep, output, outStart, outLength, outStep) {
    const scale = inLength / outLength;
    for (let j = 0; j < outLength; ++j) {
      const lo = j * scale, hi = (j + 1) * scale;
      const first = Math.floor(lo), end = Math.min(inLength, Math.ceil(hi));
      let sum = 0;
      for (let k = first; k < end; ++k) {
        const overlap = Math.min(hi, k + 1) - Math.max(lo, k);
        sum += overlap * input[inStart + k * inStep];
      }
      output[outStart + j * outStep] = sum / (hi - lo);
    }
  }

  // resize_area: area averaging, the columns of every row first, then the rows of every column.
  function resizeArea(input, inRows, inCols, outRows, outCols) {
    const wide = new Float32Array(inRows * outCols), out = new Float32Array(outRows * outCols);
    for (let r = 0; r < inRows; ++r) resizeLine(input, r * inCols, inCols, 1, wide, r * outCols, outCols, 1);
    for (let c = 0; c < outCols; ++c) resizeLine(wide, c, inRows, outCols, out, c, outRows, outCols);
    return out;
  }

  function digitBoxSide(field) { return Math.max(1, Math.floor(field * 20 / 28)); }

  // preprocess_digit: the digit as [rows x cols] bytes, or null when no pixel stands out from the
  // background (where the C++ throws "no digit found").
  function preprocessDigit(samples, width, height, channels, maxValue, rows, cols) {
    const grey = imageToGrey(samples, width, height, channels, maxValue);  // step 1
    // Step 2: background = median of the border; light background -> invert.
    const border = borderPixels(grey, height, width);
    const borderMedian = median(border);
    let background = borderMedian, inverted = false;
    if (background > 0.5) {
      inverted = true;
      for (let p = 0; p < grey.length; ++p) grey[p] = 1 - grey[p];
      background = Math.fround(1 - background);
    }
    // Step 3's noise allowance: 8 median absolute deviations of the border.
    for (let i = 0; i < border.length; ++i) border[i] = Math.abs(Math.fround(border[i] - borderMedian));
    const spread = median(border);
    background = Math.fround(background + Math.fround(kNoiseDeviations * spread));
    // Steps 3 and 4: ink, and the box [top, bottom) x [left, right) around it.
    let top = height, bottom = 0, left = width, right = 0;
    for (let r = 0; r < height; ++r) {
      for (let c = 0; c < width; ++c) {
        const p = r * width + c, g = grey[p];
        grey[p] = g > background ? g - background : 0;
        if (grey[p] > 0) {
          top = Math.min(top, r);
          bottom = Math.max(bottom, r + 1);
          left = Math.min(left, c);
          right = Math.max(right, c + 1);
        }
      }
    }
    if (top === height) return null;
    const inkWidth = right - left, inkHeight = bottom - top;
    const ink = new Float32Array(inkWidth * inkHeight);
    for (let r = 0; r < inkHeight; ++r) ink.set(grey.subarray((top + r) * width + left, (top + r) * width + right), r * inkWidth);
    // Step 5: the longer side becomes the box side; the shorter one keeps the aspect ratio.
    const scale = Math.min(digitBoxSide(cols) / inkWidth, digitBoxSide(rows) / inkHeight);
    const w = Math.max(1, lround(scale * inkWidth)), h = Math.max(1, lround(scale * inkHeight));
    const digit = resizeArea(ink, inkHeight, inkWidth, h, w);
    // Step 6: the brightest pixel becomes 1; and the centre of mass, for step 7.
    let peak = digit[0];
    for (let i = 1; i < digit.length; ++i) peak = digit[i] > peak ? digit[i] : peak;
    let mass = 0, rowMoment = 0, colMoment = 0;
    for (let r = 0; r < h; ++r) {
      for (let c = 0; c < w; ++c) {
        const v = Math.fround(digit[r * w + c] / peak);
        digit[r * w + c] = v;
        mass += v;
        rowMoment += v * r;
        colMoment += v * c;
      }
    }
    // Step 7: shift by whole pixels so the centre of mass lands on (rows / 2, cols / 2); step 8: bytes.
    const shiftRow = lround(Math.floor(rows / 2) - rowMoment / mass);
    const shiftCol = lround(Math.floor(cols / 2) - colMoment / mass);
    const pixels = new Uint8Array(rows * cols);
    for (let r = 0; r < h; ++r) {
      for (let c = 0; c < w; ++c) {
        const fr = r + shiftRow, fc = c + shiftCol;
        if (fr < 0 || fc < 0 || fr >= rows || fc >= cols) continue;
        pixels[fr * cols + fc] = toByte(digit[r * w + c]);
      }
    }
    return { pixels: pixels, inverted: inverted, inkBox: [left, top, inkWidth, inkHeight], digitSize: [w, h] };
  }

  // ---------------------------------------------------------------------------------------------------
  // 4. The page: the pad, its pointer handlers, and the panels that show each answer.
  // ---------------------------------------------------------------------------------------------------
  const kStrokeWidth = 22;  // pad pixels: about 2 of the 20 pixels a digit drawn across the pad becomes
  const kUnitsShown = 8;
  const timing = { scriptStart: performance.now() };
  const pad = document.getElementById('pad');
  const padContext = pad.getContext('2d', { willReadFrequently: true });
  const seen = document.getElementById('seen');
  const statusText = document.getElementById('status');
  let model = null, digits = [];

  function setStatus(text) { statusText.textContent = text; }

  function clearPad() {
    padContext.fillStyle = '#000';
    padContext.fillRect(0, 0, pad.width, pad.height);
  }

  // Bars, one per class, made once.
  const bars = [];
  function makeBars(classes) {
    const holder = document.getElementById('bars');
    for (let k = 0; k < classes; ++k) {
      const row = document.createElement('div'), digit = document.createElement('span');
      const track = document.createElement('div'), fill = document.createElement('div'), value = document.createElement('span');
      row.className = 'bar'; digit.className = 'digit'; track.className = 'track'; fill.className = 'fill'; value.className = 'value';
      digit.textContent = String(k);
      track.appendChild(fill);
      row.append(digit, track, value);
      holder.appendChild(row);
      bars.push({ row: row, fill: fill, value: value });
    }
  }

  // A unit's weights over the image: orange for positive, blue for negative, scaled by its largest |w|.
  const unitPictures = new Map();
  function unitPicture(unit) {
    if (unitPictures.has(unit)) return unitPictures.get(unit);
    const layer = model.layers[0], n = layer.inputs, weights = layer.weights.subarray(unit * n, (unit + 1) * n);
    let largest = 0;
    for (let i = 0; i < n; ++i) largest = Math.max(largest, Math.abs(weights[i]));
    const picture = new ImageData(model.cols, model.rows);
    for (let i = 0; i < n; ++i) {
      const t = largest > 0 ? weights[i] / largest : 0;
      picture.data[4 * i] = t > 0 ? 255 * t : 0;
      picture.data[4 * i + 1] = t > 0 ? 150 * t : 110 * -t;
      picture.data[4 * i + 2] = t > 0 ? 0 : 255 * -t;
      picture.data[4 * i + 3] = 255;
    }
    unitPictures.set(unit, picture);
    return picture;
  }

  const unitViews = [];
  function makeUnitViews() {
    const holder = document.getElementById('units');
    for (let k = 0; k < kUnitsShown; ++k) {
      const box = document.createElement('div'), canvas = document.createElement('canvas'), caption = document.createElement('div');
      box.className = 'unit';
      canvas.width = model.cols;
      canvas.height = model.rows;
      box.append(canvas, caption);
      box.hidden = true;
      holder.appendChild(box);
      unitViews.push({ box: box, canvas: canvas, caption: caption });
    }
  }

  // The strongest units of the first hidden layer: largest output first, equal outputs by unit number.
  function strongestUnits(activations, count) {
    const order = Array.from(activations.keys()).filter((u) => activations[u] > 0);
    order.sort((a, b) => activations[b] - activations[a] || a - b);
    return order.slice(0, count);
  }

  function drawBytes(canvas, bytes) {
    const picture = new ImageData(canvas.width, canvas.height);
    for (let i = 0; i < bytes.length; ++i) {
      picture.data[4 * i] = picture.data[4 * i + 1] = picture.data[4 * i + 2] = bytes[i];
      picture.data[4 * i + 3] = 255;
    }
    canvas.getContext('2d').putImageData(picture, 0, 0);
  }

  function show(prepared, answer) {
    drawBytes(seen, prepared ? prepared.pixels : new Uint8Array(model.rows * model.cols));
    for (let k = 0; k < bars.length; ++k) {
      const p = answer ? answer.probabilities[k] : 0;
      bars[k].fill.style.width = (100 * p).toFixed(1) + '%';
      bars[k].value.textContent = answer ? (100 * p).toFixed(1) + '%' : '';
      bars[k].row.classList.toggle('best', !!answer && k === answer.label);
      bars[k].row.title = answer && answer.scores ? 'int8 score ' + answer.scores[k] + ' = logit ' +
                                                    (answer.scores[k] / 65536).toFixed(4) : '';
    }
    const units = answer && answer.hidden.length ? strongestUnits(answer.hidden[0], kUnitsShown) : [];
    for (let k = 0; k < unitViews.length; ++k) {
      const view = unitViews[k];
      view.box.hidden = k >= units.length;
      if (k >= units.length) continue;
      view.canvas.getContext('2d').putImageData(unitPicture(units[k]), 0, 0);
      const output = answer.hidden[0][units[k]];  // a float, or an int8 model's byte
      view.caption.textContent = 'unit ' + units[k] + '\n' + (answer.scores ? String(output) : output.toFixed(2));
    }
    return units;
  }

  // The whole pipeline on what the pad holds: its pixels, preprocessing, the network, the panels.
  function update() {
    const start = performance.now();
    const image = padContext.getImageData(0, 0, pad.width, pad.height);
    const prepared = preprocessDigit(image.data, pad.width, pad.height, 4, 255, model.rows, model.cols);
    const answer = prepared ? model.forward(model, prepared.pixels) : null;
    const units = show(prepared, answer);
    const milliseconds = performance.now() - start;
    setStatus(answer ? 'It says ' + answer.label + ' (' + (100 * answer.probabilities[answer.label]).toFixed(1) +
                       '%), in ' + milliseconds.toFixed(1) + ' ms.'
                     : 'Draw a digit with the mouse, a pen or a finger.');
    return { image: image, prepared: prepared, answer: answer, units: units };
  }

  let frameRequest = 0;
  function updateSoon() {
    if (!frameRequest) frameRequest = requestAnimationFrame(() => { frameRequest = 0; update(); });
  }
  function updateNow() {
    if (frameRequest) cancelAnimationFrame(frameRequest);
    frameRequest = 0;
    return update();
  }

  // Drawing: one pointer at a time (mouse, pen or finger); its moves become round-capped segments. A
  // prediction is made at most once per frame while drawing, and once more when the stroke ends.
  let drawingPointer = null, lastPoint = null;
  function padPoint(event) {
    const rect = pad.getBoundingClientRect();
    return [(event.clientX - rect.left) * pad.width / rect.width, (event.clientY - rect.top) * pad.height / rect.height];
  }
  function strokeTo(point) {
    padContext.strokeStyle = '#fff';
    padContext.lineWidth = kStrokeWidth;
    padContext.lineCap = 'round';
    padContext.lineJoin = 'round';
    padContext.beginPath();
    padContext.moveTo(lastPoint[0], lastPoint[1]);
    padContext.lineTo(point[0], point[1]);
    padContext.stroke();
    lastPoint = point;
  }
  function dot(point) {
    padContext.fillStyle = '#fff';
    padContext.beginPath();
    padContext.arc(point[0], point[1], kStrokeWidth / 2, 0, 2 * Math.PI);
    padContext.fill();
    lastPoint = point;
  }
  pad.addEventListener('pointerdown', (event) => {
    if (!model || drawingPointer !== null || (event.pointerType === 'mouse' && event.button !== 0)) return;
    event.preventDefault();
    drawingPointer = event.pointerId;
    try { pad.setPointerCapture(event.pointerId); } catch (e) { /* a pointer the browser does not track */ }
    dot(padPoint(event));
    updateSoon();
  });
  pad.addEventListener('pointermove', (event) => {
    if (event.pointerId !== drawingPointer) return;
    event.preventDefault();
    const coalesced = event.getCoalescedEvents ? event.getCoalescedEvents() : [];
    for (const e of coalesced.length ? coalesced : [event]) strokeTo(padPoint(e));
    updateSoon();
  });
  function endStroke(event) {
    if (event.pointerId !== drawingPointer) return;
    drawingPointer = null;
    updateNow();
  }
  pad.addEventListener('pointerup', endStroke);
  pad.addEventListener('pointercancel', endStroke);
  pad.addEventListener('contextmenu', (event) => event.preventDefault());

  document.getElementById('clear').addEventListener('click', () => {
    clearPad();
    if (model) updateNow();
  });

  // A test digit into the pad, each of its pixels a square of pad pixels (grey, opaque).
  function loadDigit(digit) {
    const image = padContext.createImageData(pad.width, pad.height);
    for (let y = 0; y < pad.height; ++y) {
      const r = Math.floor(y * model.rows / pad.height);
      for (let x = 0; x < pad.width; ++x) {
        const v = digit.pixels[r * model.cols + Math.floor(x * model.cols / pad.width)], i = 4 * (y * pad.width + x);
        image.data[i] = image.data[i + 1] = image.data[i + 2] = v;
        image.data[i + 3] = 255;
      }
    }
    padContext.putImageData(image, 0, 0);
    return updateNow();
  }

  function makeExamples() {
    const holder = document.getElementById('examples');
    for (const digit of digits) {
      const button = document.createElement('button'), canvas = document.createElement('canvas');
      const caption = document.createElement('div');
      button.type = 'button';
      canvas.width = model.cols;
      canvas.height = model.rows;
      drawBytes(canvas, digit.pixels);
      const answer = model.forward(model, digit.pixels);
      if (timing.firstPrediction === undefined) timing.firstPrediction = performance.now();
      digit.answer = answer;
      caption.textContent = '#' + digit.index + ': ' + digit.label + ' \u2192 ' + answer.label;
      button.title = 'test digit ' + digit.index + ', label ' + digit.label + '; the network says ' + answer.label;
      button.append(canvas, caption);
      button.addEventListener('click', () => loadDigit(digit));
      holder.appendChild(button);
      digit.button = button;
    }
  }

  function start() {
    const weights = JSON.parse(document.getElementById('mnist-weights').textContent);
    timing.weightsParsed = performance.now();
    model = loadModel(weights);
    timing.weightsDecoded = performance.now();
    const embedded = JSON.parse(document.getElementById('mnist-digits').textContent);
    digits = embedded.digits.map((d) => ({ index: d.index, label: d.label, pixels: base64Bytes(d.pixels) }));
    clearPad();
    makeBars(model.sizes[model.sizes.length - 1]);
    makeUnitViews();
    makeExamples();
    document.getElementById('examples-panel').hidden = digits.length === 0;
    if (timing.firstPrediction === undefined) {  // no test digits: the first answer is for an empty image
      model.forward(model, new Uint8Array(model.rows * model.cols));
      timing.firstPrediction = performance.now();
    }
    update();
  }

  // ---------------------------------------------------------------------------------------------------
  // 5. Self-test (demo.html#selftest): strokes drawn through the pad's own pointer handlers, each test
  //    digit loaded through its button, the Clear button, and timings; the results go into
  //    <pre id="selftest-results"> as JSON for tests/browser/demo_page_test.py.
  // ---------------------------------------------------------------------------------------------------
  function arc(cx, cy, radius, fromDegrees, toDegrees, steps) {
    const points = [];
    for (let k = 0; k <= steps; ++k) {
      const a = (fromDegrees + (toDegrees - fromDegrees) * k / steps) * Math.PI / 180;
      points.push([cx + radius * Math.cos(a), cy + radius * Math.sin(a)]);
    }
    return points;
  }
  // Polylines in pad pixels (y down), one per stroke, scattered over [0, 280) by a seeded generator.
  function scribble(seed, strokes) {
    let state = seed;
    const random = () => (state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 4294967296;
    const out = [];
    for (let s = 0; s < strokes; ++s) {
      const points = [];
      for (let k = 2 + Math.floor(4 * random()); k > 0; --k) points.push([280 * random(), 280 * random()]);
      out.push(points);
    }
    return out;
  }
  // What the self-test draws, in pad pixels (y down), each stroke a polyline, with the pointer type that
  // draws it: six digits, then shapes that reach other corners of the preprocessing (a flat dash, a stroke
  // off the pad's edge, a tap, small and off-centre marks, random scribbles) and of the int8 network (a
  // thick square, more ink than any digit: hidden outputs beyond the calibrated range, clamped at 255). The last drawing stays on
  // the pad for the timings and the screenshot.
  const digitDrawings = [
    { name: 'one', pointer: 'mouse', strokes: [[[150, 40], [128, 245]]] },
    { name: 'seven', pointer: 'pen', strokes: [[[70, 55], [212, 55], [120, 248]]] },
    { name: 'zero', pointer: 'touch', strokes: [arc(140, 142, 64, -90, 275, 48)] },
    { name: 'four', pointer: 'mouse', strokes: [[[165, 35], [70, 175], [222, 175]], [[172, 95], [172, 252]]] },
    { name: 'three', pointer: 'pen', strokes: [arc(138, 92, 52, 200, 450, 30).concat(arc(138, 196, 52, 270, 520, 30))] },
  ];
  const shapeDrawings = [
    { name: 'dash', pointer: 'mouse', strokes: [[[40, 140], [240, 140]]] },
    { name: 'off-edge', pointer: 'touch', strokes: [[[150, 120], [-30, 100]], [[150, 120], [150, 300]]] },
    { name: 'tap', pointer: 'pen', strokes: [[[60, 220]]] },
    { name: 'corner-mark', pointer: 'mouse', strokes: [[[230, 20], [262, 48]]] },
    { name: 'thick-square', pointer: 'pen', strokes: [0, 16, 32].map((d) => [[40 + d, 40 + d], [240 - d, 40 + d],
                                                                              [240 - d, 240 - d], [40 + d, 240 - d], [40 + d, 40 + d]]) },
  ];
  for (let k = 1; k <= 12; ++k) {
    shapeDrawings.push({ name: 'scribble-' + k, pointer: ['mouse', 'pen', 'touch'][k % 3], strokes: scribble(k, 1 + (k % 3)) });
  }
  const drawings = digitDrawings.map((d) => Object.assign({ kind: 'digit' }, d))
    .concat(shapeDrawings.map((d) => Object.assign({ kind: 'shape' }, d)))
    .concat([{ kind: 'digit', name: 'two', pointer: 'touch',
               strokes: [arc(140, 100, 58, 200, 400, 30).concat([[72, 242], [215, 242]])] }]);
  const pointerIds = { mouse: 1, pen: 2, touch: 3 };

  function firePointer(type, pointerType, point, pressed) {
    const rect = pad.getBoundingClientRect();
    pad.dispatchEvent(new PointerEvent(type, {
      bubbles: true, cancelable: true, composed: true, pointerId: pointerIds[pointerType], pointerType: pointerType,
      isPrimary: true, button: type === 'pointermove' ? -1 : 0, buttons: pressed ? 1 : 0, pressure: pressed ? 0.5 : 0,
      clientX: rect.left + point[0] * rect.width / pad.width, clientY: rect.top + point[1] * rect.height / pad.height,
    }));
  }

  // A polyline as a pointer would report it: down, a move every few pixels, up.
  function drawStroke(points, pointerType) {
    firePointer('pointerdown', pointerType, points[0], true);
    for (let k = 1; k < points.length; ++k) {
      const from = points[k - 1], to = points[k];
      const steps = Math.max(1, Math.ceil(Math.hypot(to[0] - from[0], to[1] - from[1]) / 6));
      for (let s = 1; s <= steps; ++s) {
        firePointer('pointermove', pointerType, [from[0] + (to[0] - from[0]) * s / steps, from[1] + (to[1] - from[1]) * s / steps], true);
      }
    }
    firePointer('pointerup', pointerType, points[points.length - 1], false);
  }

  // FNV-1a (32 bits) of the pad's RGBA bytes: the test checks that the PNG it gets holds these pixels.
  function fnv1a(bytes) {
    let hash = 0x811c9dc5;
    for (let i = 0; i < bytes.length; ++i) hash = Math.imul(hash ^ bytes[i], 0x01000193) >>> 0;
    return hash >>> 0;
  }

  function describe(name, pointer, state) {
    return {
      name: name, pointer: pointer, width: pad.width, height: pad.height,
      rgba_fnv1a: fnv1a(state.image.data), png: pad.toDataURL('image/png'),
      no_digit: !state.prepared,
      pixels: state.prepared ? bytesBase64(state.prepared.pixels) : null,
      label: state.answer ? state.answer.label : null,
      probabilities: state.answer ? Array.from(state.answer.probabilities) : null,
      scores: state.answer && state.answer.scores ? Array.from(state.answer.scores) : null,
      saturated: state.answer && state.answer.scores ? state.answer.saturated : null,
      units: state.units,
    };
  }

  // requantize at its edges and on seeded random inputs: every shift, the largest and smallest int32 sums
  // (saturation), and halves (the multiplier 2^30 with the shift 31 is M = 1/2: odd sums land on .5);
  // [sum, multiplier, shift, result] each, which the browser test recomputes with Python's exact integers.
  function requantizeCases() {
    let state = 12345;
    const random = () => (state = (Math.imul(state, 1103515245) + 12345) >>> 0);
    const sums = [0, 1, -1, 2, -2, 3, -3, 255, -255, 1073741824, -1073741824, kInt32Max, -kInt32Max - 1];
    const multipliers = [0, 1, 1073741824, 1431655765, kInt32Max];
    const cases = [];
    for (let shift = 1; shift <= 62; ++shift) {
      for (const sum of sums) for (const multiplier of multipliers) cases.push([sum, multiplier, shift]);
      for (let k = 0; k < 40; ++k) {
        const sum = (random() | 0) >> (random() % 31), multiplier = random() >>> 1;
        cases.push([sum, multiplier, shift]);
      }
    }
    // Products beyond 2^53 just below a half: |sum| x multiplier = k 2^shift + 2^(shift-1) - 1. In doubles
    // the product would round onto the half and the answer would be one too large in magnitude.
    const nearHalves = [[1073741825, 2147483647, 31], [715827883, 2147483645, 33], [1039104991, 2147483617, 36],
                        [1895763953, 2147483375, 40], [1678106463, 2147468129, 44]];
    for (const c of nearHalves) cases.push(c, [-c[0], c[1], c[2]]);
    // Either side of requantize's switch from doubles to BigInt: 441650591 x 20394401 = 2^53 - 1 (doubles),
    // 2^30 x 2^23 = 2^53 (BigInt), at every shift.
    for (let shift = 1; shift <= 62; ++shift) {
      cases.push([441650591, 20394401, shift], [-441650591, 20394401, shift], [1073741824, 8388608, shift]);
    }
    return cases.map((c) => c.concat([requantize(c[0], c[1], c[2])]));
  }

  function middleValue(values) {
    const sorted = values.slice().sort((a, b) => a - b);
    return sorted[sorted.length >> 1];
  }

  function selfTest() {
    const results = { user_agent: navigator.userAgent, encoding: model.encoding, sizes: model.sizes, cases: [],
                      raw_digits: [], errors: [] };
    const clear = document.getElementById('clear');
    let last = null;
    for (const drawing of drawings) {
      clear.click();
      for (const stroke of drawing.strokes) drawStroke(stroke, drawing.pointer);
      last = updateNow();
      results.cases.push(Object.assign({ kind: drawing.kind }, describe(drawing.name, drawing.pointer, last)));
    }
    for (const digit of digits) {
      digit.button.click();
      results.cases.push(Object.assign({ kind: 'test digit' }, describe('test-' + digit.index, 'button', updateNow())));
      results.raw_digits.push({ index: digit.index, label: digit.label, pixels: bytesBase64(digit.pixels),
                                predicted: digit.answer.label, probabilities: Array.from(digit.answer.probabilities),
                                scores: digit.answer.scores ? Array.from(digit.answer.scores) : null });
    }
    clear.click();
    const cleared = updateNow();
    let blank = true;
    for (let i = 0; i < cleared.image.data.length; i += 4) {
      if (cleared.image.data[i] || cleared.image.data[i + 1] || cleared.image.data[i + 2]) blank = false;
    }
    results.cleared = { blank: blank, no_digit: !cleared.prepared };
    if (model.encoding === 'int8') results.requantize = requantizeCases();

    // Timings on the last drawing: the whole update (pixels, preprocessing, network, panels), and its parts,
    // each run 40 times: the median of the single runs, and the mean from the total (performance.now()
    // ticks in steps of 0.1 ms or so, coarser than one forward pass).
    const final = drawings[drawings.length - 1];
    for (const stroke of final.strokes) drawStroke(stroke, final.pointer);
    const state = updateNow(), runs = 40;
    function time(run) {
      const each = [], start = performance.now();
      for (let k = 0; k < runs; ++k) {
        const t = performance.now();
        run();
        each.push(performance.now() - t);
      }
      return { median: middleValue(each), mean: (performance.now() - start) / runs };
    }
    const whole = time(updateNow);
    const prepare = time(() => preprocessDigit(state.image.data, pad.width, pad.height, 4, 255, model.rows, model.cols));
    const network = time(() => model.forward(model, state.prepared.pixels));
    results.timing = {
      script_start_ms: timing.scriptStart, weights_parsed_ms: timing.weightsParsed,
      weights_decoded_ms: timing.weightsDecoded, first_prediction_ms: timing.firstPrediction, runs: runs,
      update_ms_median: whole.median, update_ms_mean: whole.mean,
      preprocess_ms_median: prepare.median, preprocess_ms_mean: prepare.mean,
      forward_ms_median: network.median, forward_ms_mean: network.mean,
    };
    return results;
  }

  let results = null;
  try {
    start();
    if (location.hash === '#selftest') results = selfTest();
  } catch (error) {
    setStatus('The page failed: ' + error.message);
    results = { errors: [String(error && error.stack || error)] };
  }
  if (location.hash === '#selftest') document.getElementById('selftest-results').textContent = JSON.stringify(results);
})();
)js";
}

}  // namespace mnist

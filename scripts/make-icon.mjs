// Draws the extension's 128×128 icon (media/icon.png) with no dependency: three rows of two ports,
// two joined straight, the third drifting. Supersampled for smooth edges. usage: node scripts/make-icon.mjs
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const N = 128, S = 4, W = N * S;
const px = new Float32Array(W * W * 4);
function blend(x, y, [r, g, b], a = 1) {
  const i = (y * W + x) * 4;
  px[i] = px[i] * (1 - a) + r * a; px[i + 1] = px[i + 1] * (1 - a) + g * a; px[i + 2] = px[i + 2] * (1 - a) + b * a; px[i + 3] = px[i + 3] * (1 - a) + a;
}
const fill = (inside, color) => { for (let y = 0; y < W; y++) for (let x = 0; x < W; x++) if (inside((x + 0.5) / S, (y + 0.5) / S)) blend(x, y, color); };
const roundRect = (x0, y0, x1, y1, r) => (x, y) => {
  const cx = Math.max(x0 + r, Math.min(x1 - r, x)), cy = Math.max(y0 + r, Math.min(y1 - r, y));
  return x >= x0 && x <= x1 && y >= y0 && y <= y1 && (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
};
const circle = (cx, cy, r) => (x, y) => (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
const segment = (ax, ay, bx, by, w) => (x, y) => {
  const dx = bx - ax, dy = by - ay, t = Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(x - ax - t * dx, y - ay - t * dy) <= w / 2;
};
const BG = [30, 41, 59], OK = [45, 212, 191], DRIFT = [251, 146, 60];
fill(roundRect(4, 4, 124, 124, 24), BG);
const rows = [34, 64, 94];
for (const [i, y] of rows.entries()) {
  const drift = i === 2, color = drift ? DRIFT : OK, y2 = drift ? y + 10 : y;
  if (drift) for (let k = 0; k < 4; k++) fill(segment(40 + k * 13, y + (k * 13 * 10) / 52, 46 + k * 13, y + ((k * 13 + 6) * 10) / 52, 6), color);
  else fill(segment(34, y, 94, y, 6), color);
  fill(circle(30, y, 11), color); fill(circle(30, y, 5), BG);
  fill(circle(98, y2, 11), color); fill(circle(98, y2, 5), BG);
}
// downsample and encode: 8-bit RGBA, filter 0 per row
const raw = Buffer.alloc(N * (N * 4 + 1));
for (let y = 0; y < N; y++) {
  raw[y * (N * 4 + 1)] = 0;
  for (let x = 0; x < N; x++) {
    let r = 0, g = 0, b = 0, a = 0;
    for (let sy = 0; sy < S; sy++) for (let sx = 0; sx < S; sx++) {
      const i = ((y * S + sy) * W + x * S + sx) * 4;
      r += px[i] * px[i + 3]; g += px[i + 1] * px[i + 3]; b += px[i + 2] * px[i + 3]; a += px[i + 3];
    }
    const o = y * (N * 4 + 1) + 1 + x * 4;
    raw[o] = a ? Math.round(r / a) : 0; raw[o + 1] = a ? Math.round(g / a) : 0; raw[o + 2] = a ? Math.round(b / a) : 0; raw[o + 3] = Math.round((a / (S * S)) * 255);
  }
}
const crcTable = Array.from({ length: 256 }, (_, n) => { let c = n; for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1; return c >>> 0; });
const crc = (buf) => { let c = 0xffffffff; for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8); return (c ^ 0xffffffff) >>> 0; };
const chunk = (type, data) => {
  const len = Buffer.alloc(4); len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const c = Buffer.alloc(4); c.writeUInt32BE(crc(td));
  return Buffer.concat([len, td, c]);
};
const ihdr = Buffer.alloc(13); ihdr.writeUInt32BE(N, 0); ihdr.writeUInt32BE(N, 4); ihdr[8] = 8; ihdr[9] = 6;
const png = Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
writeFileSync(new URL('../media/icon.png', import.meta.url), png);
console.log(`media/icon.png: ${png.length} bytes`);

// The users' pictures, as Auth0 serves its default avatars (cdn.auth0.com/avatars/<initials>.png): a PNG
// of the initial on a coloured disc. Written here without an image library: a 5x7 bitmap letter scaled
// up, the disc's edge smoothed by 4x4 samples, zlib from node.
import zlib from 'node:zlib';

const SIZE = 120;

// 5x7 glyphs, one string of 7 rows of 5 bits per letter.
const GLYPHS = {
  A: '00100 01010 10001 10001 11111 10001 10001', B: '11110 10001 10001 11110 10001 10001 11110',
  C: '01111 10000 10000 10000 10000 10000 01111', D: '11110 10001 10001 10001 10001 10001 11110',
  E: '11111 10000 10000 11110 10000 10000 11111', F: '11111 10000 10000 11110 10000 10000 10000',
  G: '01111 10000 10000 10011 10001 10001 01111', H: '10001 10001 10001 11111 10001 10001 10001',
  I: '11111 00100 00100 00100 00100 00100 11111', J: '00111 00010 00010 00010 00010 10010 01100',
  K: '10001 10010 10100 11000 10100 10010 10001', L: '10000 10000 10000 10000 10000 10000 11111',
  M: '10001 11011 10101 10101 10001 10001 10001', N: '10001 11001 10101 10011 10001 10001 10001',
  O: '01110 10001 10001 10001 10001 10001 01110', P: '11110 10001 10001 11110 10000 10000 10000',
  Q: '01110 10001 10001 10001 10101 10010 01101', R: '11110 10001 10001 11110 10100 10010 10001',
  S: '01111 10000 10000 01110 00001 00001 11110', T: '11111 00100 00100 00100 00100 00100 00100',
  U: '10001 10001 10001 10001 10001 10001 01110', V: '10001 10001 10001 10001 10001 01010 00100',
  W: '10001 10001 10001 10101 10101 10101 01010', X: '10001 10001 01010 00100 01010 10001 10001',
  Y: '10001 10001 01010 00100 00100 00100 00100', Z: '11111 00001 00010 00100 01000 10000 11111',
  '?': '01110 10001 00001 00010 00100 00000 00100',
};

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes) {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typed = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typed));
  return Buffer.concat([length, typed, crc]);
}

// A PNG (RGBA, 120x120) of `letter` in white on a disc of `color` ("#rrggbb").
export function avatarPng(letter, color) {
  const glyph = (GLYPHS[letter] || GLYPHS['?']).split(' ');
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(color.slice(i, i + 2), 16));
  const scale = 8; // the letter: 40x56 pixels, centred
  const left = (SIZE - 5 * scale) / 2;
  const top = (SIZE - 7 * scale) / 2;
  const rows = Buffer.alloc(SIZE * (1 + SIZE * 4));
  for (let y = 0; y < SIZE; y += 1) {
    const row = y * (1 + SIZE * 4);
    rows[row] = 0; // no filter
    for (let x = 0; x < SIZE; x += 1) {
      let inside = 0;
      for (let sy = 0; sy < 4; sy += 1) {
        for (let sx = 0; sx < 4; sx += 1) {
          const dx = x + (sx + 0.5) / 4 - SIZE / 2;
          const dy = y + (sy + 0.5) / 4 - SIZE / 2;
          if (dx * dx + dy * dy <= (SIZE / 2) ** 2) inside += 1;
        }
      }
      const gx = Math.floor((x - left) / scale);
      const gy = Math.floor((y - top) / scale);
      const ink = gx >= 0 && gx < 5 && gy >= 0 && gy < 7 && glyph[gy][gx] === '1';
      const at = row + 1 + x * 4;
      rows[at] = ink ? 255 : r;
      rows[at + 1] = ink ? 255 : g;
      rows[at + 2] = ink ? 255 : b;
      rows[at + 3] = Math.round((inside / 16) * 255);
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(SIZE, 0);
  header.writeUInt32BE(SIZE, 4);
  header[8] = 8; // bits per channel
  header[9] = 6; // RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', zlib.deflateSync(rows)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

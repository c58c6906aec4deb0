// DynamoDB expressions as the service documents them, for the subset Fedsync and the AWS tools use:
// condition/filter expressions (comparators, BETWEEN, IN, AND/OR/NOT, parentheses, attribute_exists,
// attribute_not_exists, attribute_type, begins_with, contains, size), key condition expressions and
// update expressions (SET with + / - and if_not_exists, REMOVE, ADD for numbers). Paths are top-level
// attribute names (`name` or `#alias`); document paths are refused with a ValidationException.

export class ExprError extends Error {}

const KEYWORDS = new Set(['AND', 'OR', 'NOT', 'BETWEEN', 'IN', 'SET', 'REMOVE', 'ADD', 'DELETE']);

function tokenize(text) {
  const out = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (/\s/.test(c)) { i += 1; continue; }
    const two = text.slice(i, i + 2);
    if (['<>', '<=', '>='].includes(two)) { out.push({ t: 'op', v: two }); i += 2; continue; }
    if ('=<>'.includes(c)) { out.push({ t: 'op', v: c }); i += 1; continue; }
    if ('(),+-'.includes(c)) { out.push({ t: c }); i += 1; continue; }
    const m = /^[#:]?[A-Za-z0-9_]+/.exec(text.slice(i));
    if (!m) throw new ExprError(`Invalid expression: Syntax error; token: "${c}", near: "${text.slice(Math.max(0, i - 5), i + 5)}"`);
    const word = m[0];
    if (word.startsWith('#')) out.push({ t: 'name', v: word });
    else if (word.startsWith(':')) out.push({ t: 'value', v: word });
    else if (KEYWORDS.has(word.toUpperCase())) out.push({ t: 'kw', v: word.toUpperCase() });
    else out.push({ t: 'ident', v: word });
    i += word.length;
    if (text[i] === '.' || text[i] === '[') throw new ExprError('Document paths are not supported by the sandbox');
  }
  return out;
}

class Parser {
  constructor(text, names, values, used) {
    this.toks = tokenize(text);
    this.pos = 0;
    this.names = names || {};
    this.values = values || {};
    this.used = used;
  }

  peek(o = 0) { return this.toks[this.pos + o]; }
  next() { return this.toks[this.pos++]; } // eslint-disable-line no-plusplus
  accept(t, v) {
    const k = this.peek();
    if (k && k.t === t && (v === undefined || k.v === v)) { this.pos += 1; return k; }
    return null;
  }
  expect(t, v) {
    const k = this.accept(t, v);
    if (!k) {
      const got = this.peek();
      throw new ExprError(`Invalid expression: Syntax error; token: "${got ? got.v || got.t : '<EOF>'}"`);
    }
    return k;
  }
  end() {
    if (this.pos !== this.toks.length) this.expect('<end>');
  }

  path() {
    const k = this.next();
    if (k && k.t === 'name') {
      this.used.names.add(k.v);
      if (!(k.v in this.names)) throw new ExprError(`Invalid expression: An expression attribute name used in the document path is not defined; attribute name: ${k.v}`);
      return { kind: 'path', name: this.names[k.v] };
    }
    if (k && k.t === 'ident') return { kind: 'path', name: k.v };
    throw new ExprError(`Invalid expression: Syntax error; token: "${k ? k.v || k.t : '<EOF>'}"`);
  }

  operand() {
    const k = this.peek();
    if (k && k.t === 'value') {
      this.pos += 1;
      this.used.values.add(k.v);
      if (!(k.v in this.values)) throw new ExprError(`Invalid expression: An expression attribute value used in expression is not defined; attribute value: ${k.v}`);
      return { kind: 'value', value: this.values[k.v] };
    }
    if (k && k.t === 'ident' && k.v === 'size' && this.peek(1) && this.peek(1).t === '(') {
      this.pos += 2;
      const p = this.path();
      this.expect(')');
      return { kind: 'size', path: p };
    }
    return this.path();
  }

  // condition := disjunction
  condition() { return this.orExpr(); }

  orExpr() {
    let left = this.andExpr();
    while (this.accept('kw', 'OR')) left = { kind: 'or', left, right: this.andExpr() };
    return left;
  }

  andExpr() {
    let left = this.notExpr();
    while (this.accept('kw', 'AND')) left = { kind: 'and', left, right: this.notExpr() };
    return left;
  }

  notExpr() {
    if (this.accept('kw', 'NOT')) return { kind: 'not', expr: this.notExpr() };
    return this.primary();
  }

  primary() {
    if (this.accept('(')) {
      const e = this.condition();
      this.expect(')');
      return e;
    }
    const k = this.peek();
    const fn = k && k.t === 'ident' && this.peek(1) && this.peek(1).t === '(' ? k.v : null;
    if (fn && fn !== 'size') {
      this.pos += 2;
      let node;
      if (fn === 'attribute_exists' || fn === 'attribute_not_exists') node = { kind: fn, path: this.path() };
      else if (fn === 'begins_with' || fn === 'contains' || fn === 'attribute_type') {
        const a = this.operand();
        this.expect(',');
        node = { kind: fn, a, b: this.operand() };
      } else throw new ExprError(`Invalid function name; function: ${fn}`);
      this.expect(')');
      return node;
    }
    const left = this.operand();
    if (this.accept('kw', 'BETWEEN')) {
      const lo = this.operand();
      this.expect('kw', 'AND');
      return { kind: 'between', left, lo, hi: this.operand() };
    }
    if (this.accept('kw', 'IN')) {
      this.expect('(');
      const list = [this.operand()];
      while (this.accept(',')) list.push(this.operand());
      this.expect(')');
      return { kind: 'in', left, list };
    }
    const op = this.expect('op').v;
    return { kind: 'cmp', op, left, right: this.operand() };
  }

  // update := (SET a=v, ... | REMOVE a, ... | ADD a :v, ...)+
  update() {
    const actions = [];
    const seen = new Set();
    while (this.peek()) {
      const clause = this.expect('kw').v;
      if (seen.has(clause)) throw new ExprError(`Invalid UpdateExpression: The "${clause}" section can only be used once in an update expression;`);
      seen.add(clause);
      do {
        const target = this.path();
        if (clause === 'SET') {
          this.expect('op', '=');
          actions.push({ kind: 'set', target, value: this.setValue() });
        } else if (clause === 'REMOVE') {
          actions.push({ kind: 'remove', target });
        } else if (clause === 'ADD') {
          actions.push({ kind: 'add', target, value: this.operand() });
        } else {
          throw new ExprError(`Invalid UpdateExpression: ${clause} is not supported by the sandbox`);
        }
      } while (this.accept(','));
    }
    const targets = actions.map((a) => a.target.name);
    if (new Set(targets).size !== targets.length) {
      throw new ExprError('Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these paths');
    }
    return actions;
  }

  setValue() {
    const left = this.setOperand();
    if (this.accept('+')) return { kind: 'plus', left, right: this.setOperand() };
    if (this.accept('-')) return { kind: 'minus', left, right: this.setOperand() };
    return left;
  }

  setOperand() {
    const k = this.peek();
    if (k && k.t === 'ident' && k.v === 'if_not_exists' && this.peek(1) && this.peek(1).t === '(') {
      this.pos += 2;
      const p = this.path();
      this.expect(',');
      const v = this.operand();
      this.expect(')');
      return { kind: 'if_not_exists', path: p, value: v };
    }
    return this.operand();
  }
}

// ---- Values ------------------------------------------------------------------------------------------

const typeOf = (v) => (v && typeof v === 'object' ? Object.keys(v)[0] : undefined);

function compare(a, b) {
  const ta = typeOf(a);
  if (ta !== typeOf(b) || a === undefined) return undefined;
  if (ta === 'N') {
    const x = Number(a.N); const y = Number(b.N);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (ta === 'S') return Buffer.compare(Buffer.from(a.S, 'utf8'), Buffer.from(b.S, 'utf8'));
  if (ta === 'B') return Buffer.compare(Buffer.from(a.B, 'base64'), Buffer.from(b.B, 'base64'));
  return JSON.stringify(a) === JSON.stringify(b) ? 0 : undefined;
}

function valueOf(node, item) {
  if (node.kind === 'value') return node.value;
  if (node.kind === 'path') return item[node.name];
  if (node.kind === 'size') {
    const v = item[node.path.name];
    const t = typeOf(v);
    if (t === 'S') return { N: String(Buffer.byteLength(v.S)) };
    if (t === 'B') return { N: String(Buffer.from(v.B, 'base64').length) };
    if (t === 'L' || t === 'SS' || t === 'NS' || t === 'BS') return { N: String(v[t].length) };
    if (t === 'M') return { N: String(Object.keys(v.M).length) };
    return undefined;
  }
  throw new ExprError('Invalid operand');
}

export function evaluate(node, item) {
  switch (node.kind) {
    case 'or': return evaluate(node.left, item) || evaluate(node.right, item);
    case 'and': return evaluate(node.left, item) && evaluate(node.right, item);
    case 'not': return !evaluate(node.expr, item);
    case 'attribute_exists': return item[node.path.name] !== undefined;
    case 'attribute_not_exists': return item[node.path.name] === undefined;
    case 'attribute_type': {
      const t = valueOf(node.b, item);
      return typeOf(valueOf(node.a, item)) === (t && t.S);
    }
    case 'begins_with': {
      const a = valueOf(node.a, item); const b = valueOf(node.b, item);
      if (typeOf(a) === 'S' && typeOf(b) === 'S') return a.S.startsWith(b.S);
      if (typeOf(a) === 'B' && typeOf(b) === 'B') return Buffer.from(a.B, 'base64').subarray(0, Buffer.from(b.B, 'base64').length).equals(Buffer.from(b.B, 'base64'));
      return false;
    }
    case 'contains': {
      const a = valueOf(node.a, item); const b = valueOf(node.b, item);
      if (typeOf(a) === 'S' && typeOf(b) === 'S') return a.S.includes(b.S);
      if (typeOf(a) === 'SS' && typeOf(b) === 'S') return a.SS.includes(b.S);
      if (typeOf(a) === 'L') return a.L.some((x) => compare(x, b) === 0);
      return false;
    }
    case 'between': {
      const v = valueOf(node.left, item);
      const lo = compare(v, valueOf(node.lo, item)); const hi = compare(v, valueOf(node.hi, item));
      return lo !== undefined && hi !== undefined && lo >= 0 && hi <= 0;
    }
    case 'in': {
      const v = valueOf(node.left, item);
      return node.list.some((x) => compare(v, valueOf(x, item)) === 0);
    }
    case 'cmp': {
      const c = compare(valueOf(node.left, item), valueOf(node.right, item));
      if (node.op === '<>') return c !== 0; // a missing attribute is "not equal"
      if (c === undefined) return false;
      return { '=': c === 0, '<': c < 0, '<=': c <= 0, '>': c > 0, '>=': c >= 0 }[node.op];
    }
    default: throw new ExprError('Invalid expression');
  }
}

function numberOf(v, what) {
  if (typeOf(v) !== 'N') throw new ExprError(`An operand in the update expression has an incorrect data type${what ? ` (${what})` : ''}`);
  return Number(v.N);
}

function setValue(node, item) {
  if (node.kind === 'plus' || node.kind === 'minus') {
    const a = numberOf(setValue(node.left, item)); const b = numberOf(setValue(node.right, item));
    return { N: String(node.kind === 'plus' ? a + b : a - b) };
  }
  if (node.kind === 'if_not_exists') {
    const cur = item[node.path.name];
    return cur !== undefined ? cur : valueOf(node.value, item);
  }
  const v = valueOf(node, item);
  if (v === undefined) throw new ExprError('The provided expression refers to an attribute that does not exist in the item');
  return v;
}

// Applies update actions to a copy of `item`; the key attributes may not be changed.
export function applyUpdate(actions, item, keyNames) {
  const out = { ...item };
  for (const a of actions) {
    if (keyNames.includes(a.target.name)) {
      throw new ExprError(`One or more parameter values were invalid: Cannot update attribute ${a.target.name}. This attribute is part of the key`);
    }
  }
  // Every right-hand side reads the item as it was before the update, as DynamoDB does.
  const computed = actions.map((a) => (a.kind === 'set' ? setValue(a.value, item) : a.kind === 'add' ? valueOf(a.value, item) : null));
  actions.forEach((a, i) => {
    if (a.kind === 'set') out[a.target.name] = computed[i];
    else if (a.kind === 'remove') delete out[a.target.name];
    else if (a.kind === 'add') {
      const cur = item[a.target.name];
      out[a.target.name] = { N: String((cur === undefined ? 0 : numberOf(cur)) + numberOf(computed[i])) };
    }
  });
  return out;
}

// Parses every expression of one request, then checks that each placeholder was used (as DynamoDB).
// `alsoUsed`: name placeholders used outside these expressions (the ProjectionExpression's).
export function parseAll(input, which, alsoUsed = []) {
  const used = { names: new Set(alsoUsed), values: new Set() };
  const names = input.ExpressionAttributeNames;
  const values = input.ExpressionAttributeValues;
  const out = {};
  for (const [field, kind] of which) {
    const text = input[field];
    if (text === undefined || text === null) continue;
    if (typeof text !== 'string' || !text.trim()) throw new ExprError(`Invalid ${field}: The expression can not be empty;`);
    const p = new Parser(text, names, values, used);
    out[field] = kind === 'update' ? p.update() : p.condition();
    p.end();
  }
  for (const n of Object.keys(names || {})) {
    if (!used.names.has(n)) throw new ExprError(`Value provided in ExpressionAttributeNames unused in expressions: keys: {${n}}`);
  }
  for (const v of Object.keys(values || {})) {
    if (!used.values.has(v)) throw new ExprError(`Value provided in ExpressionAttributeValues unused in expressions: keys: {${v}}`);
  }
  return out;
}

export { compare, typeOf };

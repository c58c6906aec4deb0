// Global secondary indexes of the DynamoDB emulator: derived from the items, kept in memory (never
// saved), built at start (or on first use for a new table) and updated on every write. An item lacking an
// index key attribute is not in that index (a sparse index).
export function createIndexes({ validation, typeOf }) {
  const gsiCache = new WeakMap();
  const gsiKeyNames = (g) => g.KeySchema.map((k) => k.AttributeName);
  const itemId = (h, r) => `${h}\u0000${r ?? ''}`;
  // The index hash value of `item`, or undefined when the item is not in the index (sparse).
  function gsiHash(g, item) {
    if (!item) return undefined;
    for (const n of gsiKeyNames(g)) if (!item[n] || typeOf(item[n]) !== 'S') return undefined;
    return item[g.KeySchema[0].AttributeName].S;
  }
  function gsiEntries(t, g) {
    let perTable = gsiCache.get(t);
    if (!perTable) { perTable = new Map(); gsiCache.set(t, perTable); }
    let index = perTable.get(g.IndexName);
    if (!index) {
      index = new Map();
      for (const [h, part] of Object.entries(t.items)) {
        for (const [r, item] of Object.entries(part)) {
          const v = gsiHash(g, item);
          if (v === undefined) continue;
          if (!index.has(v)) index.set(v, new Map());
          index.get(v).set(itemId(h, r), item);
        }
      }
      perTable.set(g.IndexName, index);
    }
    return index;
  }
  function gsiUpdate(t, h, r, old, item) {
    const perTable = gsiCache.get(t);
    if (!perTable) return;
    for (const g of t.gsis || []) {
      const index = perTable.get(g.IndexName);
      if (!index) continue;
      const id = itemId(h, r);
      const before = gsiHash(g, old);
      if (before !== undefined && index.has(before)) {
        index.get(before).delete(id);
        if (!index.get(before).size) index.delete(before);
      }
      const after = gsiHash(g, item);
      if (after !== undefined) {
        if (!index.has(after)) index.set(after, new Map());
        index.get(after).set(id, item);
      }
    }
  }
  // What an index holds of an item: its keys and the index's, plus the projected attributes.
  function gsiProject(t, g, item) {
    const type = g.Projection.ProjectionType;
    if (type === 'ALL') return item;
    const names = new Set([...t.keySchema.map((k) => k.AttributeName), ...gsiKeyNames(g)]);
    if (type === 'INCLUDE') for (const n of g.Projection.NonKeyAttributes || []) names.add(n);
    const out = {};
    for (const n of names) if (item[n] !== undefined) out[n] = item[n];
    return out;
  }
  // A write must give an index key attribute the type the table defines, and never an empty value.
  function checkIndexKeys(t, item) {
    for (const g of t.gsis || []) {
      for (const n of gsiKeyNames(g)) {
        const v = item[n];
        if (v === undefined) continue;
        const want = (t.attrs.find((a) => a.AttributeName === n) || {}).AttributeType || 'S';
        if (typeOf(v) !== want) {
          throw validation(`One or more parameter values were invalid: Type mismatch for Index Key ${n} Expected: ${want} Actual: ${typeOf(v)} IndexName: ${g.IndexName}`);
        }
        if (want === 'S' && v.S === '') {
          throw validation(`One or more parameter values are not valid. A value specified for a secondary index key is not supported. The AttributeValue for a key attribute cannot contain an empty string value. IndexName: ${g.IndexName}, IndexKey: ${n}`);
        }
      }
    }
  }

  return { gsiKeyNames, gsiEntries, gsiUpdate, gsiProject, checkIndexKeys };
}

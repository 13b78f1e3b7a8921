// The wizard's choice of tables: a database ticked whole is "db.*" (tables created later come along)
// minus the tables unticked in it; otherwise each ticked table is included by name. A table without a
// key for the copy (a primary key or a unique key of NOT NULL columns) is marked.

import {h, fmtCount} from '../dom.js';

/** A key the initial copy can take the table by (copyKey; older control planes only told primaryKey). */
const hasKey = t => (t.copyKey === undefined ? t.primaryKey : t.copyKey);

export function selection() {
  const chosen = new Map(); // db -> {all: boolean, tables: Map<table, boolean>}

  const of = db => {
    if (!chosen.has(db)) chosen.set(db, {all: false, tables: new Map()});
    return chosen.get(db);
  };
  const included = (db, table) => {
    const c = chosen.get(db);
    if (!c) return false;
    return c.all ? c.tables.get(table) !== false : c.tables.get(table) === true;
  };

  function tree(databases) {
    if (!databases.length) return h('p', {class: 'empty', text: 'The source shows no databases to this user.'});
    return h('div', {class: 'tree', id: 'schema-tree'}, databases.map(d => {
      const tableBoxes = [];
      const whole = h('input', {type: 'checkbox', id: `db-${d.name}`, dataset: {db: d.name}, checked: of(d.name).all});
      whole.addEventListener('change', () => {
        const c = of(d.name);
        c.all = whole.checked;
        c.tables.clear();
        tableBoxes.forEach(b => { b.checked = whole.checked; });
      });
      return h('fieldset', {class: 'db'},
        h('legend', {}, h('label', {class: 'check'}, whole, ' ', h('strong', {text: d.name}),
          h('span', {class: 'muted', text: ` all ${d.tables.length} table(s), also later ones`}))),
        d.tables.length ? h('ul', {class: 'plain tables'}, d.tables.map(t => {
          const box = h('input', {type: 'checkbox', id: `table-${d.name}.${t.name}`, dataset: {db: d.name, table: t.name},
            checked: included(d.name, t.name)});
          tableBoxes.push(box);
          box.addEventListener('change', () => {
            const c = of(d.name);
            if (c.all) {
              if (box.checked) c.tables.delete(t.name); else c.tables.set(t.name, false);
            } else {
              c.tables.set(t.name, box.checked);
            }
          });
          return h('li', {}, h('label', {class: 'check'}, box, ' ', h('code', {text: t.name}),
            h('span', {class: 'muted', text: ` ~${fmtCount(t.rows)} rows`}),
            hasKey(t) ? null : h('span', {class: 'badge warn', text: 'no key',
              title: 'Neither a primary key nor a unique key of NOT NULL columns: the initial copy takes it only whole'})));
        })) : h('p', {class: 'muted', text: 'no tables yet'}));
    }));
  }

  function rules() {
    const include = [];
    const exclude = [];
    for (const [db, c] of chosen) {
      if (c.all) {
        include.push(`${db}.*`);
        for (const [table, on] of c.tables) if (on === false) exclude.push(`${db}.${table}`);
      } else {
        for (const [table, on] of c.tables) if (on) include.push(`${db}.${table}`);
      }
    }
    return {include, exclude};
  }

  function databases() {
    return [...chosen].filter(([, c]) => c.all || [...c.tables.values()].some(Boolean)).map(([db]) => db);
  }

  function each(list, fn) {
    for (const d of list) for (const t of d.tables) if (included(d.name, t.name)) fn(d, t);
  }

  return {
    tree,
    rules,
    databases,
    keyless(list) {
      const out = [];
      each(list, (d, t) => { if (!hasKey(t)) out.push(`${d.name}.${t.name}`); });
      return out;
    },
    count(list) {
      let n = 0;
      each(list, () => { n++; });
      return n;
    },
  };
}

// Fails when a crate's modules import each other in a cycle (`use crate::…` and `super::…` paths).
// Run by `make lint` for the widget and the edge: each module should know only what is below it.
import fs from 'node:fs';
import path from 'node:path';

function modules(root) {
  const found = new Map();
  const walk = (dir) => fs.readdirSync(dir, { withFileTypes: true }).forEach((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return walk(full);
    if (!e.name.endsWith('.rs')) return;
    const name = path.relative(root, full).replace(/\.rs$/, '').replace(/\/mod$/, '').replaceAll('/', '::');
    found.set(name === 'lib' || name === 'mod' ? '' : name, fs.readFileSync(full, 'utf8'));
  });
  walk(root);
  return found;
}

/** The module a path names: the longest known module that is a prefix of it. */
function owner(known, segments) {
  for (let n = segments.length; n > 0; n--) {
    const name = segments.slice(0, n).join('::');
    if (known.has(name)) return name;
  }
  return null;
}

function cycles(root) {
  const mods = modules(root);
  const deps = new Map();
  for (const [name, text] of mods) {
    const out = new Set();
    // Tests may reach anywhere in their parent; only the shipped code counts.
    const code = text.replace(/#\[cfg\(test\)\][\s\S]*$/, '');
    for (const [, p] of code.matchAll(/crate::((?:[a-z_][a-z0-9_]*::)*[a-z_][a-z0-9_]*)/g)) {
      const target = owner(mods, p.split('::'));
      if (target && target !== name && !name.startsWith(`${target}::`)) out.add(target);
    }
    const parent = name.includes('::') ? name.slice(0, name.lastIndexOf('::')) : '';
    for (const [, p] of code.matchAll(/super::((?:[a-z_][a-z0-9_]*::)*[a-z_][a-z0-9_]*)/g)) {
      const target = owner(mods, [...(parent ? parent.split('::') : []), ...p.split('::')]);
      if (target && target !== name && target !== parent) out.add(target);
    }
    deps.set(name, out);
  }
  const found = [];
  const state = new Map();
  const visit = (u, stack) => {
    state.set(u, 1);
    stack.push(u);
    for (const v of deps.get(u) ?? []) {
      if (state.get(v) === 1) found.push([...stack.slice(stack.indexOf(v)), v].join(' -> '));
      else if (!state.has(v)) visit(v, stack);
    }
    stack.pop();
    state.set(u, 2);
  };
  for (const u of deps.keys()) if (!state.has(u)) visit(u, []);
  return found;
}

let failed = false;
for (const root of process.argv.slice(2)) {
  const found = cycles(root);
  if (found.length) {
    failed = true;
    console.error(`imports: ${root} has import cycles:\n  ${found.join('\n  ')}`);
  } else {
    console.log(`imports: ${root}: no import cycle`);
  }
}
process.exit(failed ? 1 : 0);

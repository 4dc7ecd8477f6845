/**
 * scripts/bundle-cli.ts's rewrite of built-in imports (issue 14.2): each form rolldown prints
 * becomes a constant from process.getBuiltinModule, packages and chunks keep their imports, and a
 * form it does not know fails the build instead of slipping through as an ES import.
 */
import { expect, test } from 'vitest';
import { builtinsAtFirstUse } from '../../scripts/bundle-cli.ts';

test('every form of a built-in import becomes a getBuiltinModule constant', () => {
  const code = [
    'import { a as b, c } from "./shell-x.js";',
    'import fs from "node:fs";',
    'import { fileURLToPath } from "node:url";',
    'import module, { createRequire as cr } from "node:module";',
    'import * as os from "node:os";',
    'import "node:vm";',
    'import path from "path";',
    'import Database from "better-sqlite3";',
    'fs.readFileSync(fileURLToPath(""));',
  ].join('\n');
  expect(builtinsAtFirstUse(code)).toBe([
    'import { a as b, c } from "./shell-x.js";',
    'const fs = process.getBuiltinModule("node:fs");',
    'const { fileURLToPath } = process.getBuiltinModule("node:url");',
    'const module = process.getBuiltinModule("node:module"); const { createRequire: cr } = process.getBuiltinModule("node:module");',
    'const os = process.getBuiltinModule("node:os");',
    '',
    'const path = process.getBuiltinModule("path");',
    'import Database from "better-sqlite3";',
    'fs.readFileSync(fileURLToPath(""));',
  ].join('\n'));
});

test('a built-in import in a form it does not know fails the build', () => {
  expect(() => builtinsAtFirstUse("import fs from 'node:fs';")).toThrow(/node:fs/);
  expect(() => builtinsAtFirstUse('import{readFileSync}from"fs";')).toThrow(/fs/);
});

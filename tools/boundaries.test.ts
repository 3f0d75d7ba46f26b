import { ESLint } from 'eslint';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..');
const eslint = new ESLint({ cwd: root });

async function lintMessages(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(root, filePath) });
  return (result?.messages ?? []).map((m) => `${m.ruleId}: ${m.message}`);
}

describe('the layer rules of ARCHITECTURE.md fail the lint', () => {
  it.each([
    ['app/base/probe.ts', "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n", /pure core/],
    ['app/base/probe.ts', "import { useState } from 'react';\nexport const x = useState;\n", /pure core/],
    ['app/base/probe.ts', "import { Backend } from '../../main/backend/backend';\nexport const x = Backend;\n", /imports only app/],
    ['app/base/probe.ts', 'export const x = Math.random();\n', /seeded rng/],
    ['app/base/probe.ts', 'export const x = Date.now();\n', /clock/],
    ['main/backend/probe.ts', "import { app } from 'electron';\nexport const x = app;\n", /without Electron/],
    ['renderer/stores/probe.ts', "import { readFile } from 'node:fs/promises';\nexport const x = readFile;\n", /browser/],
    ['renderer/stores/probe.ts', "import { Backend } from '../../main/backend/backend';\nexport const x = Backend;\n", /never imports main/],
  ])('%s: %s is refused', async (filePath, code, message) => {
    const messages = await lintMessages(code, filePath);
    expect(messages.some((m) => m.startsWith('no-restricted') && message.test(m)), messages.join('\n')).toBe(true);
  });

  it('allowed imports pass', async () => {
    expect(await lintMessages("import { z } from 'zod';\nexport const x = z;\n", 'app/base/probe.ts')).toEqual([]);
    expect(await lintMessages("import { readFile } from 'node:fs/promises';\nexport const x = readFile;\n", 'main/backend/probe.ts')).toEqual([]);
  });
});

describe('app/ compiles without DOM and Node types', () => {
  function diagnosticsOf(code: string): string[] {
    const configPath = join(root, 'app/tsconfig.json');
    const config = ts.parseJsonConfigFileContent(ts.readConfigFile(configPath, (p) => readFileSync(p, 'utf8')).config, ts.sys, join(root, 'app'));
    const probe = join(root, 'app/base/__probe__.ts');
    const host = ts.createCompilerHost(config.options);
    const readFile = host.readFile.bind(host);
    host.readFile = (file) => (file === probe ? code : readFile(file));
    const fileExists = host.fileExists.bind(host);
    host.fileExists = (file) => file === probe || fileExists(file);
    const program = ts.createProgram([probe], { ...config.options, noEmit: true, incremental: false }, host);
    return ts.getPreEmitDiagnostics(program, program.getSourceFile(probe)).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
  }

  it('refuses document, window and process', () => {
    expect(diagnosticsOf('export const t = document.title;').join('\n')).toMatch(/Cannot find name 'document'/);
    expect(diagnosticsOf('export const p = process.env;').join('\n')).toMatch(/Cannot find name 'process'/);
  });

  it('accepts plain ES2022', () => {
    expect(diagnosticsOf('export const m = new Map<string, number>([["a", 1]]).get("a");')).toEqual([]);
  });
});

/**
 * What decides where a component runs (main/runtime/p2/program.ts, componentReach): the glue of
 * every component that may ask (a path operation, a listing) or read an input stream says so, so
 * it never runs on the command's thread beside an ask folder or a stdin it cannot read there.
 */
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadCommand } from '../../../main/runtime/load.ts';
import { type ComponentProgram, componentReach, isComponentProgram } from '../../../main/runtime/p2/program.ts';
import { filesystemInterfaces } from '../../../main/runtime/p2/filesystem.ts';
import { Scratch } from '../../../main/runtime/p2/scratch.ts';
import type { GuestMemory } from '../../../main/runtime/memory.ts';
import { fixture } from '../../helpers/paths.ts';

/** Fixture component `name`, transpiled for the WASI 0.2 host. */
async function fullHost(name: string): Promise<ComponentProgram> {
  process.env.TERRARIUM_COMPONENT_HOST = 'wasi-0.2';
  try {
    const p = await loadCommand(fs.readFileSync(fixture(`components/${name}.component.wasm`)));
    if (!isComponentProgram(p)) throw new Error(`${name} did not load as a component`);
    return p;
  } finally {
    delete process.env.TERRARIUM_COMPONENT_HOST;
  }
}

const glue = (js: string): ComponentProgram => ({ kind: 'component', js, cores: [] });
const kebab = (name: string): string => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

describe('componentReach', () => {
  it('reads the fixtures: path operations and listings ask, stdin echo reads, a bare exit does neither', async () => {
    expect(componentReach(await fullHost('path_ops'))).toMatchObject({ asks: true });
    expect(componentReach(await fullHost('fd_readdir'))).toMatchObject({ asks: true });
    expect(componentReach(await fullHost('stdio'))).toMatchObject({ asks: false, reads: true });
    expect(componentReach(await fullHost('proc'))).toMatchObject({ asks: false, reads: false });
  });

  it('every descriptor method that takes a path or lists a folder asks; no other one reaches a path function', () => {
    const { Descriptor } = filesystemInterfaces(new Scratch({}, () => undefined as unknown as GuestMemory))['wasi:filesystem/types'] as { Descriptor: { prototype: object } };
    // `pstat` is the path methods' own helper (no WIT method); a method calling it reaches a path.
    const helpers = ['pstat'];
    const methods = Object.getOwnPropertyNames(Descriptor.prototype).filter((n) => n !== 'constructor' && !helpers.includes(n));
    const asking = methods.filter((n) => n.endsWith('At') || n === 'readDirectory');
    expect(asking).toContain('openAt');
    const source = (name: string): string => String((Descriptor.prototype as Record<string, unknown>)[name]);
    const reaches = (name: string): boolean => /path_|fd_readdir|DirectoryEntryStream/.test(source(name))
      || helpers.some((h) => source(name).includes(`this.${h}(`) && reaches(h));
    for (const name of methods) {
      const js = `imports['wasi:filesystem/types']; '[method]descriptor.${kebab(name)}'`;
      expect({ name, asks: componentReach(glue(js)).asks }).toEqual({ name, asks: asking.includes(name) });
      if (!asking.includes(name)) expect({ name, reaches: reaches(name) }).toEqual({ name, reaches: false });
    }
  });

  it('glue that imports the filesystem but names no descriptor method the way it expects counts as asking', () => {
    expect(componentReach(glue("imports['wasi:filesystem/types'].Descriptor.prototype.openAt")).asks).toBe(true);
    expect(componentReach(glue("imports['wasi:cli/stdout']")).asks).toBe(false);
  });

  it('any of the filesystem interface reaches a preopened folder; stdio and exit alone do not', () => {
    expect(componentReach(glue("imports['wasi:filesystem/types'].Descriptor.prototype.setTimes")).folders).toBe(true);
    expect(componentReach(glue("imports['wasi:filesystem/preopens'].getDirectories")).folders).toBe(true);
    expect(componentReach(glue("imports['wasi:cli/stdout']; imports['wasi:cli/exit']")).folders).toBe(false);
  });
});

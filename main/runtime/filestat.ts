import { Layout } from './abi.ts';
import { filetypeOf } from './fd-table.ts';
import type { GuestMemory } from './memory.ts';
import type { HostStat } from './host-calls/index.ts';
import { NativeStat } from './host-calls/stat.ts';

const F = Layout.filestat;

/** Writes a `filestat` struct for host stats `st` at `ptr` (nanoseconds as the host gave them). */
export function writeFilestat(mem: GuestMemory, ptr: number, st: HostStat): void {
  mem.check(ptr, F.bytes);
  if (st instanceof NativeStat) {
    // Straight from the numbers the host gave, no bigint made (a walk stats every entry).
    st.writeTo(mem.view, ptr >>> 0, F, filetypeOf(st));
    return;
  }
  mem.setU64(ptr + F.dev, st.dev);
  mem.setU64(ptr + F.ino, st.ino);
  mem.setU8(ptr + F.filetype, filetypeOf(st));
  mem.zero(ptr + F.filetype + 1, F.nlink - F.filetype - 1);
  mem.setU64(ptr + F.nlink, st.nlink);
  mem.setU64(ptr + F.size, st.size);
  mem.setU64(ptr + F.atim, st.atimeNs);
  mem.setU64(ptr + F.mtim, st.mtimeNs);
  mem.setU64(ptr + F.ctim, st.ctimeNs);
}

/** Writes a `filestat` of a stream with no host file behind it (only the filetype is known). */
export function writeStreamFilestat(mem: GuestMemory, ptr: number, filetype: number): void {
  mem.check(ptr, F.bytes);
  mem.zero(ptr, F.bytes);
  mem.setU8(ptr + F.filetype, filetype);
  mem.setU64(ptr + F.nlink, 1n);
}

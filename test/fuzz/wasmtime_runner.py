"""Runs fuzz scripts under Wasmtime (the reference for the differential test, test/fuzz/).

Reads one JSON job per line on stdin: {"wasm", "script", "rw", "ro", "stdout", "stderr"};
runs the interpreter with the script as stdin, rw preopened read-write as /rw and ro preopened
read-only as /ro (the same fds 3 and 4 as Terrarium gives), and answers one JSON line per job:
{"exit": code} or {"trap": message}.
"""
import json
import sys

import wasmtime

engine = wasmtime.Engine()
modules = {}


def cause(e):
    """The "Caused by" part of a trap's message (the backtrace is the same every time)."""
    text = str(e)
    at = text.find("Caused by:")
    return " ".join(text[at + 10:].split()) if at >= 0 else text.splitlines()[0]


def run(job):
    module = modules.get(job["wasm"])
    if module is None:
        module = modules[job["wasm"]] = wasmtime.Module.from_file(engine, job["wasm"])
    linker = wasmtime.Linker(engine)
    linker.define_wasi()
    store = wasmtime.Store(engine)
    wasi = wasmtime.WasiConfig()
    wasi.argv = ["fuzz_interp.wasm"]
    wasi.env = [("FUZZ", "1")]
    wasi.stdin_file = job["script"]
    wasi.stdout_file = job["stdout"]
    wasi.stderr_file = job["stderr"]
    wasi.preopen_dir(job["rw"], "/rw", True)
    wasi.preopen_dir(job["ro"], "/ro", False)
    store.set_wasi(wasi)
    instance = linker.instantiate(store, module)
    try:
        instance.exports(store)["_start"](store)
        return {"exit": 0}
    except wasmtime.ExitTrap as e:
        return {"exit": e.code}
    except wasmtime.Trap as e:
        return {"trap": cause(e)}
    except wasmtime.WasmtimeError as e:
        return {"trap": cause(e)}


for line in sys.stdin:
    if line.strip():
        print(json.dumps(run(json.loads(line))), flush=True)

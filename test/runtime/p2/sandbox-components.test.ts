/**
 * The sandbox battery with its escape programs wrapped as WASI 0.2 components by the preview1
 * adapter (test/fixtures/components/build.sh): every escape is refused exactly as for the plain
 * programs (same errnos checked inside the guest, nothing outside the grant touched). The battery
 * itself is test/runtime/sandbox.test.ts, loaded here with its fixtures swapped for components.
 */
process.env.TERRARIUM_TEST_BATTERY_AS_COMPONENTS = '1';
await import('../sandbox.test.ts');

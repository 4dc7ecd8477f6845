import { mount } from 'svelte';
import App from './App.svelte';
import { connect } from './lib/api.ts';

const target = document.getElementById('app')!;
try {
  await connect();
  mount(App, { target });
} catch (err) {
  target.textContent = err instanceof Error ? err.message : String(err);
}

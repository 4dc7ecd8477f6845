import '@xterm/xterm/css/xterm.css';
import './lib/styles/theme.css';
import './lib/styles/grants.css';
import './lib/styles/tables.css';
import { mount } from 'svelte';
import App from './App.svelte';
import { connect } from './lib/api.ts';

const target = document.getElementById('app')!;
try {
  await connect();
  mount(App, { target });
} catch (err) {
  target.innerHTML = '';
  const box = document.createElement('div');
  box.className = 'startup-error';
  box.setAttribute('role', 'alert');
  const h = document.createElement('h1');
  h.textContent = 'Terrarium cannot start';
  const p = document.createElement('p');
  p.textContent = err instanceof Error ? err.message : String(err);
  box.append(h, p);
  target.append(box);
}

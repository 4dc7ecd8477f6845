/** xterm.js colours matching Terrarium's light and dark themes. */
import type { ITheme } from '@xterm/xterm';

const LIGHT: ITheme = {
  background: '#fbfcfb',
  foreground: '#1f2723',
  cursor: '#1d7350',
  cursorAccent: '#fbfcfb',
  selectionBackground: '#b9dcc9',
  black: '#1f2723', red: '#b42318', green: '#17663f', yellow: '#8a5a00',
  blue: '#1d4ea0', magenta: '#8e3b8e', cyan: '#0f6b73', white: '#6b7770',
  brightBlack: '#56625b', brightRed: '#d13b2e', brightGreen: '#1d7350', brightYellow: '#a36b00',
  brightBlue: '#2563eb', brightMagenta: '#a34ca3', brightCyan: '#14808a', brightWhite: '#8d9992',
};

const DARK: ITheme = {
  background: '#101312',
  foreground: '#dfe6e2',
  cursor: '#4cc38a',
  cursorAccent: '#101312',
  selectionBackground: '#2e5a44',
  black: '#2a312d', red: '#f0786b', green: '#4cc38a', yellow: '#e8b75a',
  blue: '#7aa7ff', magenta: '#d59ae0', cyan: '#5ccfd6', white: '#c9d2cd',
  brightBlack: '#6b7770', brightRed: '#ff9c90', brightGreen: '#6fd4a3', brightYellow: '#f4c267',
  brightBlue: '#9bbcf5', brightMagenta: '#e6b6ee', brightCyan: '#86e0e5', brightWhite: '#ffffff',
};

/** The terminal theme for the OS's current colour scheme. */
export function terminalTheme(dark: boolean): ITheme {
  return dark ? DARK : LIGHT;
}

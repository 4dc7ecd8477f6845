/** The Electron main-process entry point: the desktop shell around the real core. */
import { createApi } from '../api/index.ts';
import { startDesktop } from './main.ts';

startDesktop(createApi);
